import Foundation
import GRDB

/// The state store in one SQLite file (by default `.yard/state.sqlite`), shared by the CLI and the daemon:
/// a GRDB `DatabasePool` in WAL mode (readers never block the writer), a busy timeout so that two processes
/// writing at once wait for each other instead of failing, and every write in an IMMEDIATE transaction, so a
/// read-then-write (a lock, a sequence number) cannot interleave with another process.
///
/// Sendable: its stored properties are immutable and `DatabasePool` is thread-safe (GRDB declares it Sendable).
public final class SQLiteStateStore: StateStore {
    /// Relative to the working directory, like `topologies/` and `playbooks/`.
    public static let defaultPath = ".yard/state.sqlite"

    public let path: String
    public let busyTimeout: Duration
    let pool: DatabasePool

    /// Opens (or creates) the database at `path`, creating its folder if missing, and migrates the schema.
    public init(path: String = SQLiteStateStore.defaultPath, busyTimeout: Duration = .seconds(5)) throws(StateStoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        try Self.prepareFolder(for: path)
        try Self.checkFile(at: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout.seconds)
        configuration.label = "switchyard-state"
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.translate(error, path: path, operation: "opening the state database", timeout: busyTimeout)
        }
        try migrate()
    }

    private func migrate() throws(StateStoreError) {
        let migrator = SQLiteSchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }.sorted()
                throw StateStoreError.newerSchema(path: path, applied: applied, known: migrator.migrations)
            }
            try migrator.migrate(pool)
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path, operation: "migrating the state database", timeout: busyTimeout)
        }
    }

    // MARK: access

    /// One write transaction (IMMEDIATE: it takes the write lock before reading).
    func write<T: Sendable>(_ operation: String, _ updates: @Sendable (Database) throws -> T) async throws(StateStoreError) -> T {
        do {
            return try await pool.write(updates)
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path, operation: operation, timeout: busyTimeout)
        }
    }

    func read<T: Sendable>(_ operation: String, _ value: @Sendable (Database) throws -> T) async throws(StateStoreError) -> T {
        do {
            return try await pool.read(value)
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path, operation: operation, timeout: busyTimeout)
        }
    }
}
