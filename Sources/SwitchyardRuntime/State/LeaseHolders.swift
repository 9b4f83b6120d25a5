import Foundation

/// Lease holders for code outside this module: this process's identity under a name (`LockHolder`'s text), and the
/// name read back out of one.
public enum LeaseHolders {
    /// `NAME@HOST#PID/START/BOOT/PIDNS` for this process.
    public static func thisProcess(_ name: String) -> String { LockHolder(name).text }

    /// The NAME part of a holder written by `thisProcess`; nil for any other text.
    public static func name(of holder: String) -> String? { LockHolder(parsing: holder)?.name }

    /// The host and pid of a holder written by `thisProcess`.
    public static func process(of holder: String) -> (host: String, pid: Int32)? {
        LockHolder(parsing: holder).map { ($0.host, $0.pid) }
    }
}

extension StateStore {
    /// Frees lock `name` when its holder is provably dead (a process of this host, this boot and this PID namespace
    /// that is gone): true when it did. Anything that may be alive keeps its lease until it runs out.
    public func freeLockIfHolderDied(_ name: String) async -> Bool {
        await LockHolder.clearIfDead(name, store: self)
    }
}
