import SwitchyardCore

/// A PostgreSQL primary to lose and the replica to promote, as found live when the drill is planned.
public struct PrimaryLoss: Sendable, Hashable {
    public var datastore: String
    public var primary: DatastoreMember
    public var replica: DatastoreMember
    public var clients: ClientConnectionString
}

/// What the failover did and when (instants of this process's continuous clock).
public struct FailoverOutcome: Sendable {
    public var killedAt: ContinuousClock.Instant
    public var promotedAt: ContinuousClock.Instant
    public var detail: String
}
