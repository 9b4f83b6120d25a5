import SwitchyardCore

extension FaultPlan {
    /// `lb-node-kill` on a keepalived pair: the node (the playbook's, or the one that holds the virtual address now) is cut
    /// off its network with its `cutCommand`, run on this machine. Not keepalived stopped: a killed keepalived keeps the
    /// address on its node, whose nginx keeps answering, so users would see nothing of a node really lost.
    static func keepalivedNodeCut(_ balancer: LoadBalancer, node named: String?, topology: Topology) async throws -> FaultPlan {
        let pair = try KeepalivedPair(balancer: balancer)
        let holder = try await pair.holder()
        let target = named.flatMap(pair.node(named:)) ?? holder
        guard let cut = target.cutCommand, let reconnect = target.reconnectCommand else {
            throw Failure.notAvailable("node \(target.name) of load balancer \(balancer.name) has no cutCommand and reconnectCommand: a node cut off its "
                + "network cannot be reached through it to bring it back, so both run on this machine (a hypervisor, a cloud API, a switch port); "
                + "stopping keepalived alone would not move the virtual address (a killed keepalived keeps it)")
        }
        let fault = "network cut of node \(target.name) (\(cut.joined(separator: " ")))"
        let vip = VIPCut(balancer: balancer, address: pair.address, node: target.name, holder: holder.name,
                         peers: balancer.nodes.map(\.name).filter { $0 != target.name }, fault: fault)
        let holding = target.name == holder.name ? "it holds the virtual address \(pair.address), which should move to \(vip.peers.joined(separator: " or "))"
            : "the virtual address \(pair.address) stays on \(holder.name)"
        return FaultPlan(blow: .cutNode(node: target.name, command: cut),
                         restores: [.reconnectNode(topology: topology.name, balancer: balancer.name, node: target.name)],
                         description: "load balancer \(balancer.name) node \(target.name) lost: its network cut (\(cut.joined(separator: " "))), "
                            + "not only keepalived stopped; \(holding); back with \(reconnect.joined(separator: " "))",
                         vipCut: vip)
    }
}
