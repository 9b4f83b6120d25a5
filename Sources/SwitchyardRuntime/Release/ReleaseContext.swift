import Foundation
import SwitchyardCore

/// Everything a release acts on: the manifests, the drivers, the prober and the state store.
public struct ReleaseContext: Sendable {
    public var topology: Topology
    public var playbook: ReleasePlaybook
    public var service: Service
    public var balancer: LoadBalancer
    public var store: any StateStore
    /// The managed nginx or the site's (`LoadBalancerDrivers.make`).
    public var nginx: any LoadBalancerDriver
    public var instances: any InstanceDriver
    public var prober: GateProber
    /// Who started it (a user, a token's name, `ci`): written to the record and the audit log.
    public var actor: String
    public var deployTimeout: Duration
    /// Pause between repeated measurements of a pre-promotion gate that is not yet decided.
    public var retryInterval: Duration
    /// Keep the old slot in the live upstream as nginx `backup` servers from the switch until it drains, so a
    /// new slot that dies or refuses costs no request that had not started its answer. True but in benchmarks
    /// that show what it is worth.
    public var oldSlotBacksNewSlot = true
    /// Tells the topology's and the playbook's `notify` targets when a release starts and ends (nil: nobody).
    public var notifier: Notifier?
    /// The lease of the daemon that drives this release as leader (nil from the CLI): every fenced write of the release
    /// carries it too, so a deposed leader's release cannot write even before its own leases are taken over. The
    /// election renews it; the runner does not.
    public var leaderFence: LeaseFence?

    /// The targets told about this release.
    var notifyTargets: [NotifyTarget] { topology.notify + playbook.notify }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noLoadBalancer(String)
        case unknownLoadBalancer(String)

        public var description: String {
            switch self {
            case .noLoadBalancer(let service): "service \(service) has no loadBalancer in its topology; a release switches one"
            case .unknownLoadBalancer(let name): "load balancer \(name) is not in the topology"
            }
        }
    }

    public init(topology: Topology, playbook: ReleasePlaybook, store: any StateStore, instances: any InstanceDriver, prober: GateProber,
                workingDirectory: String = FileManager.default.currentDirectoryPath, actor: String,
                deployTimeout: Duration = .seconds(30), retryInterval: Duration = .milliseconds(500)) throws {
        guard let service = topology.service(named: playbook.service) else { throw ReleasePlan.PlanError.unknownService(playbook.service, topology: topology.name) }
        guard let balancerName = service.loadBalancer else { throw Failure.noLoadBalancer(service.name) }
        guard let balancer = topology.loadBalancer(named: balancerName) else { throw Failure.unknownLoadBalancer(balancerName) }
        self.topology = topology
        self.playbook = playbook
        self.service = service
        self.balancer = balancer
        self.store = store
        nginx = LoadBalancerDrivers.make(balancer, workingDirectory: workingDirectory)
        self.instances = instances
        self.prober = prober
        self.actor = actor
        self.deployTimeout = deployTimeout
        self.retryInterval = retryInterval
    }

    var lockName: String { LockName.release(topology: topology.name, service: service.name) }

    /// The structured access log of the nginx this release switches (`source: loadBalancer` gates read it); nil when
    /// Switchyard cannot read one (a site's nginx).
    var accessLog: String? { nginx.accessLog }

    /// Where gates reach the idle slot: the preview listener, on the first node of a site nginx with nodes (every node
    /// carries the same upstreams).
    var previewListener: HostPort { balancer.siteNodes.first?.preview(balancer) ?? balancer.previewListen }
}

extension ReleaseContext {
    /// A release behind a Switchyard-run nginx: local processes logging under `logDirectory`, or the SSH driver
    /// when the service's zones list hosts (`FleetInstanceDriver`); gate probes on the shared client. What the CLI, the daemon and scratch fleets use.
    public static func processes(topology: Topology, playbook: ReleasePlaybook, store: any StateStore, workingDirectory: String,
                                 logDirectory: String, actor: String, environment: [String: String] = [:],
                                 deployTimeout: Duration = .seconds(30)) throws -> ReleaseContext {
        let driver = FleetInstanceDriver.standard(logDirectory: logDirectory, environment: environment)
        var context = try ReleaseContext(topology: topology, playbook: playbook, store: store, instances: driver, prober: GateProber(),
                                         workingDirectory: workingDirectory, actor: actor, deployTimeout: deployTimeout)
        if !context.notifyTargets.isEmpty { context.notifier = Notifier(store: store) }
        return context
    }
}
