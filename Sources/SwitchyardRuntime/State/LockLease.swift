import Foundation

/// A named lock held until `expiresAt` unless renewed. `holder` is a phrase a person can read in an error,
/// e.g. "release rel-20261125-123456-gateway-k3f9 of gateway".
public struct LockLease: Sendable, Hashable {
    public var name: String
    public var holder: String
    public var acquiredAt: Date
    public var expiresAt: Date
    /// Counts the lock's takeovers: each acquisition that is not a renewal by the same holder of a live lease gets a
    /// generation higher than any before it, released or not. A write fenced by an older generation is refused.
    public var generation: Int

    public init(name: String, holder: String, acquiredAt: Date, expiresAt: Date, generation: Int = 0) {
        self.name = name
        self.holder = holder
        self.acquiredAt = acquiredAt
        self.expiresAt = expiresAt
        self.generation = generation
    }

    public func isExpired(at now: Date) -> Bool { now >= expiresAt }

    /// What a write made under this lease carries.
    public var fence: LeaseFence { LeaseFence(lock: name, holder: holder, generation: generation) }
}

/// A writer's proof that it still holds a lease: the store refuses a fenced write, in the write's own transaction,
/// unless the lock is held by `holder` at `generation` now. Taken over (by anyone, or by the same holder name after it
/// lapsed), released, or gone: refused with `.fenced`.
public struct LeaseFence: Sendable, Hashable, CustomStringConvertible {
    public var lock: String
    public var holder: String
    public var generation: Int

    public init(lock: String, holder: String, generation: Int) {
        self.lock = lock
        self.holder = holder
        self.generation = generation
    }

    public var description: String { "\(lock) held by \(holder) (generation \(generation))" }
}

/// Lock names used across Switchyard, so that every writer spells them the same way.
public enum LockName {
    /// One release per service at a time.
    public static func release(service: String) -> String { "release:\(service)" }
    /// The lock a release of `service` in `topology` holds while it runs (the drill scheduler reads it).
    public static func release(topology: String, service: String) -> String { "release/\(topology)/\(service)" }
    /// One drill or release per topology at a time, where the scheduler needs it.
    public static func topology(_ name: String) -> String { "topology:\(name)" }
}
