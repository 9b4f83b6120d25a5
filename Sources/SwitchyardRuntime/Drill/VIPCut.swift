import SwitchyardCore

/// A keepalived pair's node cut off the network by a drill: which virtual address to watch, which node held it when
/// the fault was planned, and the nodes it may move to.
public struct VIPCut: Sendable, Hashable {
    public var balancer: LoadBalancer
    public var address: String
    /// The node cut off.
    public var node: String
    /// The node that held the address when the fault was planned (the cut node, unless the playbook named another).
    public var holder: String
    /// The nodes the address may move to: every node but the cut one.
    public var peers: [String]
    /// The fault in words, for the report.
    public var fault: String
}
