import Foundation

/// A named lock held until `expiresAt` unless renewed. `holder` is a phrase a person can read in an error,
/// e.g. "release rel-20261125-123456-gateway-k3f9 of gateway".
public struct LockLease: Sendable, Hashable {
    public var name: String
    public var holder: String
    public var acquiredAt: Date
    public var expiresAt: Date

    public init(name: String, holder: String, acquiredAt: Date, expiresAt: Date) {
        self.name = name
        self.holder = holder
        self.acquiredAt = acquiredAt
        self.expiresAt = expiresAt
    }

    public func isExpired(at now: Date) -> Bool { now >= expiresAt }
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
