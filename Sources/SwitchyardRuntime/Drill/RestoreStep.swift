import SwitchyardCore

/// One undo action of a drill, journaled (as JSON) before the fault it undoes is injected, so that a
/// later start can run it even if the process that injected the fault died. Each step is safe to run
/// twice: it brings things back to how they were, whatever their state now.
public enum RestoreStep: Sendable, Hashable, Codable {
    /// Start `service`'s `slot` in `zones` at `version` again, adopting the instances still running.
    case redeploy(topology: String, service: String, zones: [String], slot: Slot, version: String)
    /// SIGCONT to processes frozen with SIGSTOP.
    case resume(pids: [Int32], what: String)
    /// SIGCONT to instances frozen with SIGSTOP, through the driver that runs them (this machine or their hosts).
    case resumeInstances(topology: String, service: String, instances: [RunningInstance], what: String)
    /// Start the load balancer's nginx again, routing as the state store says.
    case restartLoadBalancer(topology: String, balancer: String)
    /// Remove the iptables rules tagged `tag` that cut these loopback ports off (journaled before network cuts went
    /// through the instance driver; still run for them).
    case unblock(ports: [Int], tag: String)
    /// Remove the iptables rules tagged `tag` that cut these instances off where they run, through the instance driver.
    case reconnectInstances(topology: String, service: String, instances: [RunningInstance], tag: String)
    /// Run the node's `reconnectCommand` on this machine, wait until the node answers again, and start keepalived there
    /// when it is gone (removing stale pid files).
    case reconnectNode(topology: String, balancer: String, node: String)
    /// Run the fault's paired restore command; then `check` must succeed.
    case command([String], check: [String]?)
    /// Bring datastore member `member` (a primary lost) back as a streaming replica of the primary now (`PostgresRejoin`).
    case rejoinAsReplica(topology: String, datastore: String, member: String)
    /// Remove the iptables rules tagged `tag` that cut datastore member `member`'s port off on its host.
    case reconnectMember(topology: String, datastore: String, member: String, tag: String)

    public var summary: String {
        switch self {
        case .redeploy(_, let service, let zones, let slot, let version): "start \(service) \(version) in \(slot) of \(zones.joined(separator: ", ")) again"
        case .resume(let pids, let what): "resume \(what) (SIGCONT to \(pids.map(String.init).joined(separator: " ")))"
        case .resumeInstances(_, _, let instances, let what): "resume \(what) (SIGCONT to \(instances.map { "\($0.id.name) pid \($0.pid)" }.joined(separator: ", ")))"
        case .restartLoadBalancer(_, let balancer): "start load balancer \(balancer) again"
        case .unblock(let ports, _): "reconnect ports \(ports.map(String.init).joined(separator: ", ")) (remove their DROP rules)"
        case .reconnectInstances(_, let service, let instances, _):
            "reconnect \(service)'s \(instances.map(\.id.name).joined(separator: ", ")) (remove the DROP rules on their ports where they run)"
        case .reconnectNode(_, let balancer, let node): "reconnect node \(node) of load balancer \(balancer) and make sure keepalived runs there"
        case .command(let argv, _): "run \(argv.joined(separator: " "))"
        case .rejoinAsReplica(_, let datastore, let member): "bring \(member) of \(datastore) back as a replica of the new primary (pg_rewind, or a fresh pg_basebackup)"
        case .reconnectMember(_, let datastore, let member, _): "reconnect \(member) of \(datastore) (remove the DROP rules on its port, on its host)"
        }
    }
}
