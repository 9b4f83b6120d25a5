import Foundation
import Synchronization
import SwitchyardRuntime

/// Whether this daemon leads, shared by the election (which changes it) and everything that may act only as leader:
/// the release service, the drill scheduler, the routes that start releases and drills, `/readyz` and `/metrics`.
public final class Leadership: Sendable {
    /// The lock the daemons compete for; its generation fences every write a leader makes.
    public static let lockName = "yardd:leader"

    public enum Role: Sendable, Hashable {
        /// Not decided yet: the daemon is starting.
        case electing
        /// This daemon leads under `lease`.
        case leading(LockLease)
        /// Another daemon leads; nil when the store could not say who (it could not be reached).
        case following(LeaderIdentity?)
    }

    private let state = Mutex<Role>(.electing)
    private let me = Mutex<LeaderIdentity?>(nil)

    public init() {}

    public var role: Role { state.withLock { $0 } }

    func set(_ role: Role) { state.withLock { $0 = role } }

    /// What a write made as leader carries; nil unless this daemon leads.
    public var fence: LeaseFence? {
        switch role {
        case .leading(let lease): lease.fence
        case .electing, .following: nil
        }
    }

    public var isLeader: Bool { fence != nil }

    /// The daemon that leads, when known: this one, or the one a standby saw holding the lease.
    public var leader: LeaderIdentity? {
        switch role {
        case .leading: me.withLock { $0 }
        case .following(let leader): leader
        case .electing: nil
        }
    }

    /// This daemon, once it listens.
    public var identity: LeaderIdentity? { me.withLock { $0 } }

    func identify(_ identity: LeaderIdentity) { me.withLock { $0 = identity } }

    /// `leader`, `standby` or `electing`, for `/readyz` and logs.
    public var roleName: String {
        switch role {
        case .leading: "leader"
        case .following: "standby"
        case .electing: "electing"
        }
    }
}
