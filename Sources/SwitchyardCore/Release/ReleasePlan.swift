/// Which slot serves each zone of a service: the load balancer's routing table.
public typealias Routing = [String: Slot]

/// What a release will do, fixed before it starts: the version, the waves of zones, the slot each
/// zone moves to, the gates and the timings, all from the topology, the playbook and the live state.
public struct ReleasePlan: Sendable, Hashable, Codable {
    public var service: String
    public var topology: String
    public var version: String
    /// The versions running now, by slot (absent on a first release).
    public var previousVersion: String?
    /// The routing before the release.
    public var before: Routing
    /// Zones switched together, in order.
    public var waves: [[String]]
    public var preGates: [GateDefinition]
    public var bakeGates: [GateDefinition]
    public var bakeDuration: TimeSpan
    public var bakeInterval: TimeSpan
    public var scaleDownDelay: TimeSpan
    public var keepWarm: Bool
    public var manualPromotion: Bool

    public init(service: String, topology: String, version: String, previousVersion: String?, before: Routing, waves: [[String]],
                preGates: [GateDefinition], bakeGates: [GateDefinition], bakeDuration: TimeSpan, bakeInterval: TimeSpan,
                scaleDownDelay: TimeSpan, keepWarm: Bool, manualPromotion: Bool) {
        self.service = service
        self.topology = topology
        self.version = version
        self.previousVersion = previousVersion
        self.before = before
        self.waves = waves
        self.preGates = preGates
        self.bakeGates = bakeGates
        self.bakeDuration = bakeDuration
        self.bakeInterval = bakeInterval
        self.scaleDownDelay = scaleDownDelay
        self.keepWarm = keepWarm
        self.manualPromotion = manualPromotion
    }

    /// The slot a zone moves to: the one not serving it now.
    public func target(_ zone: String) -> Slot { (before[zone] ?? .blue).other }

    /// The routing once the first `waves` waves have switched.
    public func routing(afterWaves count: Int) -> Routing {
        var routing = before
        for wave in waves.prefix(count) { for zone in wave { routing[zone] = target(zone) } }
        return routing
    }

    public enum PlanError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownService(String, topology: String)
        case noLoadBalancer(String)
        case sameVersion(String)
        case invalidVersion(String)
        /// `source: loadBalancer` gates read the access log of an nginx Switchyard runs; a site's nginx logs where the site says.
        case accessLogOfSiteNginx(gates: [String], balancer: String)

        public var description: String {
            switch self {
            case .unknownService(let service, let topology): "service \(service) is not in topology \(topology)"
            case .noLoadBalancer(let service): "service \(service) has no load balancer to switch"
            case .sameVersion(let version): "version \(version) is already live; nothing to release"
            case .invalidVersion(let version): ReleaseVersion.problem(version)
            case .accessLogOfSiteNginx(let gates, let balancer):
                "gate\(gates.count == 1 ? "" : "s") \(gates.joined(separator: ", ")) read\(gates.count == 1 ? "s" : "") the access log of the load balancer (source: loadBalancer), "
                    + "but \(balancer) is a site-managed nginx (managed: false) whose log Switchyard does not read; measure on the instances (source: metrics) instead"
            }
        }
    }

    /// Plans a release of `version` from the live routing and versions.
    public static func make(topology: Topology, playbook: ReleasePlaybook, version: String, live: Routing,
                            liveVersion: String?, manual: Bool? = nil) throws(PlanError) -> ReleasePlan {
        guard ReleaseVersion.isValid(version) else { throw .invalidVersion(version) }
        guard let service = topology.service(named: playbook.service) else { throw .unknownService(playbook.service, topology: topology.name) }
        guard let balancerName = service.loadBalancer else { throw .noLoadBalancer(service.name) }
        if let balancer = topology.loadBalancer(named: balancerName), !balancer.managed {
            let readers = (playbook.preGates + playbook.bake.gates).compactMap(playbook.gate(named:)).filter { gate in
                if case .metric(let check) = gate.probe, check.source == .loadBalancer { return true }
                return false
            }
            if !readers.isEmpty { throw .accessLogOfSiteNginx(gates: readers.map(\.name), balancer: balancer.name) }
        }
        if let liveVersion, liveVersion == version { throw .sameVersion(version) }
        var before: Routing = [:]
        for zone in service.zones { before[zone] = live[zone] ?? .blue }
        let waves = playbook.waves.isEmpty ? [service.zones] : playbook.waves
        return ReleasePlan(service: service.name, topology: topology.name, version: version, previousVersion: liveVersion,
                           before: before, waves: waves,
                           preGates: playbook.preGates.compactMap(playbook.gate(named:)),
                           bakeGates: playbook.bake.gates.compactMap(playbook.gate(named:)),
                           bakeDuration: playbook.bake.duration, bakeInterval: playbook.bake.interval,
                           scaleDownDelay: playbook.scaleDownDelay, keepWarm: playbook.keepWarm,
                           manualPromotion: manual ?? (playbook.promotion == .manual))
    }
}
