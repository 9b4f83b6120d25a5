import SwitchyardCore

/// A PostgreSQL primary to lose and the replica to promote (or, with a failover manager, the one expected to be), as
/// found live when the drill is planned.
public struct PrimaryLoss: Sendable, Hashable {
    public var datastore: String
    public var primary: DatastoreMember
    public var replica: DatastoreMember
    /// Every member but the primary: those a failover manager may promote.
    public var others: [DatastoreMember]
    public var clients: ClientConnectionString
    public var failover: DatastoreFailover
    public var how: How

    /// How the primary is lost.
    public enum How: Sendable, Hashable {
        /// SIGKILL to its postmaster and every child.
        case kill
        /// Its port cut off on its host by iptables rules commented `tag`.
        case networkCut(tag: String)
    }

    public init(datastore: String, primary: DatastoreMember, replica: DatastoreMember, others: [DatastoreMember], clients: ClientConnectionString,
                failover: DatastoreFailover, how: How = .kill) {
        self.how = how
        self.datastore = datastore
        self.primary = primary
        self.replica = replica
        self.others = others
        self.clients = clients
        self.failover = failover
    }

    /// Loses the primary and has a replica promoted (or waits for the failover manager), as the `db-primary-loss` fault
    /// does, without a drill around it (`yard-bench-dbfailover`).
    public func perform() async throws -> FailoverOutcome { try await PostgresFailover(loss: self).perform() }
}

/// What the failover did and when (instants of this process's continuous clock).
public struct FailoverOutcome: Sendable {
    public var killedAt: ContinuousClock.Instant
    /// The member that answered as primary, and when; nil when none did within a failover manager's timeout.
    public var promoted: Promoted?
    /// How long the drill waited for a failover manager; nil when the drill promoted.
    public var awaitedManager: Duration?
    public var detail: String

    public struct Promoted: Sendable {
        public var member: DatastoreMember
        public var at: ContinuousClock.Instant
    }
}
