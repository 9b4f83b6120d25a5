import SwitchyardCore
import SwitchyardRuntime

/// Probes a service's instances concurrently, each with a short timeout, and builds the service's view.
struct InstanceHealth: Sendable {
    var readiness = ReadinessChecker(client: YardHTTPClient.shared, timeout: .milliseconds(500))

    func view(of service: Service, in topology: Topology, routing: ServiceRouting?, recorded: [InstanceRecord]) async -> ServiceView {
        let records = Dictionary(recorded.map { ($0.id.name, $0) }, uniquingKeysWith: { first, _ in first })
        let instances = service.instances
        // Probed: instances of a live slot, and any the store believes are running.
        let probed = instances.filter { routing?.live[$0.zone] == $0.slot || records[$0.name] != nil }
        let ready = await withTaskGroup(of: (String, Bool).self) { group in
            for id in probed {
                group.addTask { (id.name, await readiness.isReady(service.connectAddress(of: id), path: service.health.readiness)) }
            }
            var ready: [String: Bool] = [:]
            for await (name, isReady) in group { ready[name] = isReady }
            return ready
        }
        return ServiceView(
            name: service.name, topology: topology.name, liveVersion: routing?.liveVersion,
            versions: Dictionary(uniqueKeysWithValues: (routing?.versions ?? [:]).map { ($0.key.rawValue, $0.value) }),
            zones: service.zones.map { zone in
                let slot = routing?.live[zone]
                return TopologyView.ZoneView(name: zone, liveSlot: slot?.rawValue, version: slot.flatMap { routing?.versions[$0] })
            },
            instances: instances.map { id in
                let record = records[id.name]
                let health = ready[id.name].map { $0 ? "ready" : "not-ready" } ?? "not-running"
                return ServiceView.InstanceView(name: id.name, zone: id.zone, slot: id.slot.rawValue, address: "\(service.connectAddress(of: id))",
                                                live: routing?.live[id.zone] == id.slot, health: health,
                                                pid: record.map { Int($0.pid) }, version: record?.version ?? routing?.versions[id.slot])
            })
    }
}
