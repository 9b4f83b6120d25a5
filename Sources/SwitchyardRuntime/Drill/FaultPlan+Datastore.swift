import SwitchyardCore

extension FaultPlan {
    /// `db-primary-loss`: the member that answers as primary now is lost, the first member (as listed) that answers as a
    /// replica is promoted (or, with a failover manager, expected to be). Asked live, since an earlier drill swapped the
    /// roles the topology lists.
    static func primaryLoss(_ storeName: String, writesPerSecond: Int, mode: PrimaryLossMode, topology: Topology, run: String) async throws -> FaultPlan {
        guard let store = topology.datastores.first(where: { $0.name == storeName }) else { throw Failure.nothingToBreak("no datastore \(storeName)") }
        guard let clients = store.clients, !store.members.isEmpty else {
            throw Failure.notAvailable("datastore \(storeName) lists no members and clients: Switchyard cannot reach its servers")
        }
        var primaries: [DatastoreMember] = [], replicas: [DatastoreMember] = [], answers: [String] = []
        for member in store.members {
            let role = await PostgresSession.role(of: member.address, as: clients)
            switch role {
            case .primary: primaries.append(member); answers.append("\(member.name) primary")
            case .replica: replicas.append(member); answers.append("\(member.name) replica")
            case .down(let why): answers.append("\(member.name) down (\(why))")
            }
        }
        guard primaries.count == 1, let primary = primaries.first else {
            throw Failure.nothingToBreak("datastore \(storeName) needs one primary to lose, its members answer: \(answers.joined(separator: ", "))")
        }
        guard let replica = replicas.first else {
            throw Failure.nothingToBreak("datastore \(storeName) has no replica to promote: \(answers.joined(separator: ", "))")
        }
        let how: PrimaryLoss.How, lossText: String
        var restores: [RestoreStep] = [.rejoinAsReplica(topology: topology.name, datastore: storeName, member: primary.name)]
        switch mode {
        case .kill:
            how = .kill
            lossText = "SIGKILL to its postmaster and every child"
        case .network:
            let tag = "switchyard-drill \(run)"
            how = .networkCut(tag: tag)
            lossText = "its port \(primary.address.port) cut off (iptables DROP in and out, the server left running)"
            // Restores run newest first: the port is reconnected before the member is rejoined.
            restores.append(.reconnectMember(topology: topology.name, datastore: storeName, member: primary.name, tag: tag))
        }
        let loss = PrimaryLoss(datastore: storeName, primary: primary, replica: replica, others: store.members.filter { $0.name != primary.name },
                               clients: clients, failover: store.failover, how: how)
        let swapped = primary.role == .primary ? "" : " (primary since an earlier failover)"
        let promotion: String
        switch store.failover {
        case .drillPromotes: promotion = "\(replica.name) \(replica.address) promoted (\(replica.promote.summary))"
        case .manager(let timeout): promotion = DatastoreFailover.managerPlan(timeout)
        }
        return FaultPlan(blow: .primaryLoss(loss),
                         restores: restores,
                         description: "datastore \(storeName) loses its primary \(primary.name) \(primary.address) on \(primary.host.name)\(swapped): \(lossText); "
                            + "\(promotion); \(writesPerSecond) numbered writes/s through \(clients)",
                         writeProbe: WriteProbePlan(clients: clients, perSecond: writesPerSecond, oldPrimary: primary.address, newPrimary: replica.address))
    }
}

/// The write probe a `db-primary-loss` runs: through which connection string, how fast, and which servers it expects
/// before and after.
public struct WriteProbePlan: Sendable, Hashable {
    public var clients: ClientConnectionString
    public var perSecond: Int
    public var oldPrimary: HostPort
    public var newPrimary: HostPort
}
