import ArgumentParser
import SwitchyardTesting

/// How durable an acknowledged commit is, the setting the benchmark compares.
enum CommitSetting: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// `synchronous_commit = off`: a commit is acknowledged before its WAL is flushed.
    case off
    /// `synchronous_commit = on`, asynchronous streaming: flushed on the primary, not yet on the replica.
    case on
    /// `synchronous_commit = on` with `synchronous_standby_names = '*'` on the primary: flushed on the replica too.
    case syncStandby = "sync-standby"

    var name: String {
        switch self {
        case .off: "synchronous_commit off"
        case .on: "on, no synchronous standby"
        case .syncStandby: "on, synchronous standby"
        }
    }

    var primary: PostgresServer.Settings {
        switch self {
        case .off: .replication(synchronousCommit: false)
        case .on: .replication(synchronousCommit: true)
        case .syncStandby: .replication(synchronousCommit: true, synchronousStandby: true)
        }
    }

    /// The replica's: the same commit setting, never the standby names (a promoted replica that inherits them blocks
    /// every write until a standby attaches).
    var replica: PostgresServer.Settings {
        switch self {
        case .off: .replication(synchronousCommit: false)
        case .on, .syncStandby: .replication(synchronousCommit: true)
        }
    }
}
