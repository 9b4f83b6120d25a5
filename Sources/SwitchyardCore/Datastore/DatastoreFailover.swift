/// Who makes a replica the primary when a drill loses a datastore's primary.
public enum DatastoreFailover: Sendable, Hashable, Encodable {
    /// The drill: it promotes the first member answering as a replica, as that member's `promote` says.
    case drillPromotes
    /// The site's failover manager (Patroni, repmgr, pg_auto_failover, …): the drill promotes nothing, and waits up to
    /// `timeout` after the kill for another member to answer as primary (`pg_is_in_recovery()` false).
    case manager(timeout: TimeSpan)

    /// How long the drill waits for the failover manager; nil when the drill promotes.
    public var managerTimeout: TimeSpan? {
        switch self {
        case .drillPromotes: nil
        case .manager(let timeout): timeout
        }
    }

    /// A failover manager's part in a drill's plan, as the plan and its dry run say it.
    public static func managerPlan(_ timeout: TimeSpan) -> String {
        "the drill promotes nothing and waits up to \(timeout) for the failover manager to promote a member"
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .drillPromotes:
            var c = encoder.singleValueContainer()
            try c.encode("drill")
        case .manager(let timeout):
            var c = encoder.container(keyedBy: ManifestKey.self)
            var manager = c.nestedContainer(keyedBy: ManifestKey.self, forKey: ManifestKey("manager"))
            try manager.put("timeout", timeout)
        }
    }
}
