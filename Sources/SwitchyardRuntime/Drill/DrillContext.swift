import Foundation
import SwitchyardCore

/// Everything a drill acts on: its playbook and topology, the state store, the instance driver, and
/// where the managed nginx folders live.
public struct DrillContext: Sendable {
    public var playbook: DrillPlaybook
    public var topology: Topology
    public var store: any StateStore
    public var instances: any InstanceDriver
    /// Relative load-balancer directories are taken from here.
    public var workingDirectory: String
    /// Who started it (a user, a token's name, `schedule`).
    public var actor: String
    /// Longest time a restore waits for restarted instances to be ready.
    public var restoreTimeout: Duration
    /// After the restore, how long traffic is still watched for the recovery.
    public var settleLimit: TimeSpan
    /// Tells the topology's and the playbook's `notify` targets how the drill ended (nil: nobody).
    public var notifier: Notifier?
    /// The lease of the daemon that leads, when a leader runs the drill: every write of the run carries it beside the
    /// run's own leases, so a leader deposed mid-drill (frozen, cut off from the store) writes and restores nothing more;
    /// the next leader restores what the run broke.
    public var leaderFence: LeaseFence?

    /// The targets told about this drill.
    public var notifyTargets: [NotifyTarget] { topology.notify + playbook.notify }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noLoadBalancer(String)
        case unknownService(String, topology: String)
        case unknownTopology(String, playbook: String)

        public var description: String {
            switch self {
            case .noLoadBalancer(let topology): "topology \(topology) has no load balancer: a drill drives its traffic through one"
            case .unknownService(let service, let topology): "service \(service) is not in topology \(topology)"
            case .unknownTopology(let topology, let playbook): "topology \(topology) of drill playbook \(playbook) is not loaded"
            }
        }
    }

    public init(playbook: DrillPlaybook, topology: Topology, store: any StateStore, instances: any InstanceDriver,
                workingDirectory: String = FileManager.default.currentDirectoryPath, actor: String,
                restoreTimeout: Duration = .seconds(30), settleLimit: TimeSpan = .seconds(30)) throws {
        guard !topology.loadBalancers.isEmpty else { throw Failure.noLoadBalancer(topology.name) }
        self.playbook = playbook
        self.topology = topology
        self.store = store
        self.instances = instances
        self.workingDirectory = workingDirectory
        self.actor = actor
        self.restoreTimeout = restoreTimeout
        self.settleLimit = settleLimit
    }

    /// The load balancer the drill's traffic goes through: the faulted service's, or the topology's first.
    public var balancer: LoadBalancer {
        if case .instanceKill(let service, _, _) = playbook.fault, let name = topology.service(named: service)?.loadBalancer,
           let balancer = topology.loadBalancer(named: name) { return balancer }
        if case .lbNodeKill(let name, _) = playbook.fault, let balancer = topology.loadBalancer(named: name) { return balancer }
        return topology.loadBalancers[0]
    }

    public func nginx(_ balancer: LoadBalancer) -> any LoadBalancerDriver { LoadBalancerDrivers.make(balancer, workingDirectory: workingDirectory) }
}

extension DrillContext {
    /// A drill of local processes: the process driver, logging under `logDirectory`.
    public static func processes(playbook: DrillPlaybook, topology: Topology, store: any StateStore, workingDirectory: String,
                                 logDirectory: String, actor: String, settleLimit: TimeSpan = .seconds(30)) throws -> DrillContext {
        let driver = FleetInstanceDriver.standard(logDirectory: logDirectory)
        var context = try DrillContext(playbook: playbook, topology: topology, store: store, instances: driver,
                                       workingDirectory: workingDirectory, actor: actor, settleLimit: settleLimit)
        if !context.notifyTargets.isEmpty { context.notifier = Notifier(store: store) }
        return context
    }
}
