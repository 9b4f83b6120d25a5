/// How long leadership lasts unrenewed. A standby takes over at most `lease + interval` after the leader stopped
/// renewing (died, froze, or lost the state store); sooner when the leader ran on the same host and is provably dead.
public struct ElectionSettings: Sendable, Hashable {
    public var lease: Duration

    public init(lease: Duration = .seconds(6)) { self.lease = lease }

    /// How often the leader renews and a standby looks: a third of the lease, so two renewals may fail before it ends.
    public var interval: Duration { lease / 3 }

    /// How long a leader that cannot renew keeps acting: it stops one interval before its lease could end, so it is
    /// no longer acting when a standby may take over.
    public var actFor: Duration { lease - interval }
}
