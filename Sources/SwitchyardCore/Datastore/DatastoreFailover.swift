/// Who makes a replica the primary when a drill loses a datastore's primary.
public enum DatastoreFailover: Sendable, Hashable, Encodable {
    /// The drill: it promotes the first member answering as a replica, as that member's `promote` says.
    case drillPromotes
    /// The site's failover manager (Patroni, repmgr, pg_auto_failover, …): the drill promotes nothing, and waits up to
    /// `timeout` after the kill for another member to answer as primary (`pg_is_in_recovery()` false).
    case manager(timeout: TimeSpan)

    /// For reports: who promotes, and how long the drill waits for it.
    public var summary: String {
        switch self {
        case .drillPromotes: "the drill promotes a replica"
        case .manager(let timeout): "the failover manager promotes a member (the drill waits up to \(timeout))"
        }
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
