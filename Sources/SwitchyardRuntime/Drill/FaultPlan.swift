import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// A fault made concrete: which processes get which signal (or which command runs), and the steps
/// that undo it. Worked out from the live state just before the restores are journaled.
public struct FaultPlan: Sendable, Hashable {
    public enum Blow: Sendable, Hashable {
        /// Send `signal` to each process of this machine.
        case signal(Int32, targets: [Target])
        /// Send `signal` to these instances of `service` where they run, through the instance driver (this machine
        /// or a host over SSH).
        case signalInstances(Int32, service: Service, instances: [RunningInstance])
        case command([String])
        /// Drop every packet to these instances' ports where they run, through the instance driver (iptables on this
        /// machine's loopback, or on their hosts over SSH; rules tagged `tag`).
        case cutInstances(service: Service, instances: [RunningInstance], tag: String)
        /// Run `command` on this machine to cut load-balancer node `node` off its network (the node's `cutCommand`).
        case cutNode(node: String, command: [String])
        /// SIGKILL to a datastore's primary (its postmaster and every child), then the replica promoted.
        case primaryLoss(PrimaryLoss)
        /// Each of these, in order (a zone's instances of several services).
        indirect case all([Blow])
    }

    public struct Target: Sendable, Hashable, Codable {
        public var pid: Int32
        public var name: String
    }

    public var blow: Blow
    /// In the order to journal them; they run newest first.
    public var restores: [RestoreStep]
    /// What will be broken, for the journal and the report.
    public var description: String
    /// A keepalived pair's node cut off: whose virtual address to watch move, and where to.
    public var vipCut: VIPCut? = nil
    /// A datastore's primary lost: the writes that probe it.
    public var writeProbe: WriteProbePlan? = nil

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case nothingToBreak(String)
        case notAvailable(String)

        public var description: String {
            switch self {
            case .nothingToBreak(let why): "nothing to break: \(why)"
            case .notAvailable(let why): "fault not available on this machine: \(why)"
            }
        }
    }
}

extension FaultPlan {
    /// Plans `context.playbook.fault` against what runs now.
    public static func make(_ context: DrillContext, run: String = "dry-run") async throws -> FaultPlan {
        let topology = context.topology
        switch context.playbook.fault {
        case .instanceKill(let serviceName, let zone, let count):
            guard let service = topology.service(named: serviceName) else { throw DrillContext.Failure.unknownService(serviceName, topology: topology.name) }
            let live = await liveInstances(service, zones: zone.map { [$0] } ?? service.zones, context)
            guard !live.isEmpty else { throw Failure.nothingToBreak("no live instance of \(serviceName)\(zone.map { " in \($0)" } ?? "")") }
            let chosen = Array(live.prefix(count))
            return FaultPlan(blow: .signalInstances(SIGKILL, service: service, instances: chosen),
                             restores: redeploys(chosen, service, topology),
                             description: "SIGKILL to \(chosen.count) instance\(chosen.count == 1 ? "" : "s") of \(serviceName): \(names(chosen))")
        case .zoneOutage(let zone, let mode):
            var chosen: [(Service, [RunningInstance])] = []
            for service in topology.services where service.zones.contains(zone) {
                chosen.append((service, await liveInstances(service, zones: [zone], context)))
            }
            let all = chosen.flatMap(\.1)
            guard !all.isEmpty else { throw Failure.nothingToBreak("no instance runs in \(zone)") }
            let blows = chosen.filter { !$0.1.isEmpty }
            switch mode {
            case .stop:
                return FaultPlan(blow: .all(blows.map { .signalInstances(SIGKILL, service: $0.0, instances: $0.1) }),
                                 restores: chosen.flatMap { redeploys($0.1, $0.0, topology) },
                                 description: "zone \(zone) lost: SIGKILL to its \(all.count) instances (\(names(all)))")
            case .freeze:
                return FaultPlan(blow: .all(blows.map { .signalInstances(SIGSTOP, service: $0.0, instances: $0.1) }),
                                 restores: blows.map { .resumeInstances(topology: topology.name, service: $0.0.name, instances: $0.1, what: "the instances of \(zone)") },
                                 description: "zone \(zone) frozen: SIGSTOP to its \(all.count) instances (\(names(all)))")
            case .network:
                for (service, _) in blows {
                    if let why = await context.instances.networkCutUnavailability(service) {
                        throw Failure.notAvailable("a network cut of \(zone) needs iptables where \(service.name) runs: \(why); use mode stop or freeze")
                    }
                }
                let tag = "switchyard-drill \(run)"
                let ports = all.map(\.address.port).sorted()
                return FaultPlan(blow: .all(blows.map { .cutInstances(service: $0.0, instances: $0.1, tag: tag) }),
                                 restores: blows.map { .reconnectInstances(topology: topology.name, service: $0.0.name, instances: $0.1, tag: tag) },
                                 description: "zone \(zone) cut off the network: every packet to its \(all.count) instances dropped where they run (\(names(all)); ports \(ports.map(String.init).joined(separator: ", ")))")
            }
        case .lbNodeKill(let name, let node):
            guard let balancer = topology.loadBalancer(named: name) else { throw Failure.nothingToBreak("no load balancer \(name)") }
            if let node, !balancer.nodes.isEmpty, !balancer.nodes.contains(where: { $0.name == node }) {
                throw Failure.nothingToBreak("load balancer \(name) has no node \(node)")
            }
            if balancer.isKeepalivedPair { return try await keepalivedNodeCut(balancer, node: node, topology: topology) }
            guard balancer.managed else {
                throw Failure.notAvailable("load balancer \(name) is a site-managed nginx (managed: false): killing a node needs a keepalived pair, not driven yet")
            }
            guard let master = await context.nginx(balancer).masterPID else { throw Failure.nothingToBreak("nginx of \(name) is not running") }
            let workers = ProcessTable.children(of: master)
            let targets = ([master] + workers).map { Target(pid: $0, name: $0 == master ? "nginx master" : "nginx worker") }
            return FaultPlan(blow: .signal(SIGKILL, targets: targets), restores: [.restartLoadBalancer(topology: topology.name, balancer: name)],
                             description: "load balancer \(name) lost: SIGKILL to its nginx master \(master) and \(workers.count) workers (a single node: no standby takes over)")
        case .exec(let command, let restore, let check, let datastore):
            return FaultPlan(blow: .command(command), restores: [.command(restore, check: check)],
                             description: "\(datastore.map { "\($0): " } ?? "")run \(command.joined(separator: " "))")
        case .dbPrimaryLoss(let datastore, let writesPerSecond, let mode):
            return try await primaryLoss(datastore, writesPerSecond: writesPerSecond, mode: mode, topology: topology, run: run)
        }
    }

    /// The instances of the routed slot in `zones`, in a stable order.
    static func liveInstances(_ service: Service, zones: [String], _ context: DrillContext) async -> [RunningInstance] {
        let routing = (try? await context.store.routing(service: service.name))?.live ?? [:]
        var result: [RunningInstance] = []
        for slot in Slot.allCases {
            let routedZones = zones.filter { (routing[$0] ?? .blue) == slot }
            if routedZones.isEmpty { continue }
            result += await context.instances.running(service, slot: slot).filter { routedZones.contains($0.id.zone) }
        }
        return result.sorted { $0.id.name < $1.id.name }
    }

    static func redeploys(_ instances: [RunningInstance], _ service: Service, _ topology: Topology) -> [RestoreStep] {
        var groups: [String: (zones: Set<String>, slot: Slot, version: String)] = [:]
        for instance in instances {
            let key = "\(instance.id.slot)/\(instance.version)"
            groups[key, default: ([], instance.id.slot, instance.version)].zones.insert(instance.id.zone)
        }
        return groups.keys.sorted().map { key in
            let group = groups[key]!
            return .redeploy(topology: topology.name, service: service.name, zones: group.zones.sorted(), slot: group.slot, version: group.version)
        }
    }

    static func names(_ instances: [RunningInstance]) -> String { instances.map { "\($0.id.name) (pid \($0.pid))" }.joined(separator: ", ") }
}
