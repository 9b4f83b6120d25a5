/// The answer of a daemon that does not lead to what only the leader does (start a release or a drill): which daemon
/// leads, when it knows.
public struct NotLeader: Error, Sendable, Hashable, CustomStringConvertible {
    public var leader: LeaderIdentity?

    public init(leader: LeaderIdentity?) { self.leader = leader }

    public var description: String {
        guard let leader else { return "this yardd is a standby and no leader is known right now (an election is under way); retry in a few seconds" }
        return "this yardd is a standby; \(leader) leads: send it there"
    }
}
