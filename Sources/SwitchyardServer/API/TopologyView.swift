import SwitchyardCore
import SwitchyardRuntime

/// A topology as `GET /v1/topologies` shows it: its services and what each zone routes now.
struct TopologyView: Codable, Sendable, Hashable {
    struct ServiceView: Codable, Sendable, Hashable {
        var name: String
        var zones: [ZoneView]
        /// The version every zone serves, when they agree.
        var liveVersion: String?
        var releasePlaybook: String?
    }

    struct ZoneView: Codable, Sendable, Hashable {
        var name: String
        /// Nil until a first version was brought up.
        var liveSlot: String?
        var version: String?
    }

    var name: String
    var description: String?
    var zones: [String]
    var services: [ServiceView]

    init(_ topology: Topology, routing: [String: ServiceRouting], playbooks: [ReleasePlaybook]) {
        name = topology.name
        description = topology.description
        zones = topology.zones.map(\.name)
        services = topology.services.map { service in
            let routed = routing[service.name]
            return ServiceView(
                name: service.name,
                zones: service.zones.map { zone in
                    let slot = routed?.live[zone]
                    return ZoneView(name: zone, liveSlot: slot?.rawValue, version: slot.flatMap { routed?.versions[$0] })
                },
                liveVersion: routed?.liveVersion,
                releasePlaybook: playbooks.first { $0.topology == topology.name && $0.service == service.name }?.name)
        }
    }
}
