import Foundation

/// Everything the state store can refuse, each with a message a person can act on.
public enum StateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The folder that should hold the database could not be created.
    case cannotCreateFolder(path: String, reason: String)
    /// The database file could not be opened (permissions, a folder in the way, a full disk…).
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not an SQLite database, or is damaged.
    case notADatabase(path: String, reason: String)
    /// The file was written by a newer Switchyard whose schema this one does not know.
    case newerSchema(path: String, applied: [String], known: [String])
    /// Another process kept the database busy for longer than the busy timeout.
    case busy(path: String, operation: String, timeout: Duration)
    /// Any other SQLite failure, with what was being done.
    case database(path: String, operation: String, reason: String)
    /// The PostgreSQL server at `server` (host:port) could not be reached or stopped answering.
    case unreachable(server: String, reason: String)
    /// A `--state` that looks like a PostgreSQL URL but is not one Switchyard can use.
    case invalidLocation(location: String, reason: String)
    /// A stored value is not what the schema promises (edited by hand, or damaged).
    case unreadableValue(table: String, column: String, value: String)
    /// A value could not be turned into JSON, or the stored JSON back into a value.
    case json(what: String, reason: String)

    case releaseExists(id: String)
    case releaseNotFound(id: String)
    case journalEntryNotFound(release: String, sequence: Int)
    /// A journal entry that is not an `action started` entry cannot be marked done.
    case notAStartedAction(release: String, sequence: Int)
    case actionAlreadyCompleted(release: String, sequence: Int)

    /// The lock is held by someone else until `until`.
    case lockHeld(name: String, holder: String, until: Date)
    /// `renew` by a holder that does not hold the lock (it was never taken, released, or taken over after expiry).
    case lockNotHeld(name: String, holder: String, currentHolder: String?)
    case invalidLease(name: String, lease: Duration)
    /// A fenced write or renewal whose lease is no longer its writer's: taken over, released or gone.
    case fenced(fence: LeaseFence, current: String?)

    case drillRunExists(id: String)
    case drillRunNotFound(id: String)
    case restoreActionNotFound(run: String, sequence: Int)
    /// API tokens: names are unique.
    case tokenExists(name: String)

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let reason):
            "cannot create the state folder \(path): \(reason); create it by hand or point --state at a writable folder"
        case .cannotOpen(let path, let reason):
            "cannot open the state database \(path): \(reason); check that the path is a file you may read and write"
        case .notADatabase(let path, let reason):
            "\(path) is not a usable SQLite database (\(reason)); move it aside (mv \(path) \(path).broken) and Switchyard will create a fresh one, or restore it from a backup"
        case .newerSchema(let path, let applied, let known):
            "\(path) was written by a newer Switchyard (schema \(applied.last ?? "?"); this one knows up to \(known.last ?? "?")); upgrade yard/yardd before using this state"
        case .busy(let path, let operation, let timeout):
            "\(operation): the state database \(path) stayed locked by another process for more than \(timeout.formattedSeconds); is a stuck yard or yardd holding it? (see `fuser \(path)`)"
        case .database(let path, let operation, let reason):
            "\(operation) in \(path) failed: \(reason)"
        case .unreachable(let server, let reason):
            "cannot reach the PostgreSQL state server at \(server): \(reason); is it running and listening there (pg_isready -h HOST -p PORT)?"
        case .invalidLocation(let location, let reason):
            "--state \(location): \(reason)"
        case .unreadableValue(let table, let column, let value):
            "the state database holds an unreadable value in \(table).\(column): \(value); was it edited by hand?"
        case .json(let what, let reason):
            "cannot convert \(what) to or from JSON: \(reason)"
        case .releaseExists(let id):
            "release \(id) already exists; pick another id"
        case .releaseNotFound(let id):
            "no release \(id) in the state store; `yard releases` lists them"
        case .journalEntryNotFound(let release, let sequence):
            "release \(release) has no journal entry #\(sequence)"
        case .notAStartedAction(let release, let sequence):
            "journal entry #\(sequence) of release \(release) is not an `action started` entry; only those can be marked done or failed"
        case .actionAlreadyCompleted(let release, let sequence):
            "the action in journal entry #\(sequence) of release \(release) was already marked done or failed"
        case .lockHeld(let name, let holder, let until):
            "\(holder) holds the lock \(name) until \(StateTime.format(until)); wait for it to finish, or for the lease to end if its process died"
        case .lockNotHeld(let name, let holder, let current):
            "\(holder) does not hold the lock \(name)" + (current.map { "; \($0) holds it now" } ?? "; nobody holds it now")
        case .fenced(let fence, let current):
            "refused: this writer's lease on \(fence.lock) is gone (it held generation \(fence.generation) as \(fence.holder); "
                + (current.map { "\($0) holds it now" } ?? "nobody holds it now") + "), so it may not write or act any more"
        case .invalidLease(let name, let lease):
            "the lease on lock \(name) must be longer than zero (got \(lease))"
        case .drillRunExists(let id):
            "drill run \(id) already exists; pick another id"
        case .drillRunNotFound(let id):
            "no drill run \(id) in the state store"
        case .restoreActionNotFound(let run, let sequence):
            "drill run \(run) has no restore action #\(sequence)"
        case .tokenExists(let name):
            "a token named \(name) already exists; revoke it first (yardd token revoke \(name)) or pick another name"
        }
    }
}
