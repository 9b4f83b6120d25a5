import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// `/ui`: every topology's services, zone by zone and slot by slot: which slot is live, the version in each, and each
/// instance's health probed now (as `GET /v1/services/{name}` gives it). Re-rendered every few seconds.
enum FleetPage {
    static let pollMilliseconds = 3000

    static func live(catalog: ManifestCatalog, store: any StateStore, health: InstanceHealth) async throws -> String {
        let escape = DashboardHTML.escape
        var html = ""
        for topology in catalog.set.topologies {
            html += "<section class=\"topology\" data-topology=\"\(escape(topology.name))\"><h2>\(escape(topology.name))</h2>"
            if let description = topology.description { html += "<p class=\"hint\">\(escape(description))</p>" }
            for service in topology.services {
                let routing: ServiceRouting?, recorded: [InstanceRecord]
                do {
                    routing = try await store.routing(service: service.name)
                    recorded = try await store.liveInstances(service: service.name)
                } catch { throw APIError.store(error) }
                html += table(await health.view(of: service, in: topology, routing: routing, recorded: recorded))
            }
            html += "</section>"
        }
        return html.isEmpty ? "<p>No topology is loaded: put one in topologies/ and reload (SIGHUP or <code>yard reload</code>).</p>" : html
    }

    static func table(_ view: ServiceView) -> String {
        let escape = DashboardHTML.escape
        var html = "<h3 class=\"service\" data-service=\"\(escape(view.name))\">\(escape(view.name))"
        html += " <span class=\"version\">\(escape(view.liveVersion.map { "live \($0)" } ?? "live version differs by zone or none yet"))</span></h3>"
        html += "<table class=\"fleet\"><tr><th>zone</th>" + Slot.allCases.map { "<th>\($0.rawValue)\(view.versions[$0.rawValue].map { " · \(escape($0))" } ?? "")</th>" }.joined() + "</tr>"
        for zone in view.zones {
            html += "<tr data-zone=\"\(escape(zone.name))\"><th>\(escape(zone.name))</th>"
            for slot in Slot.allCases {
                let live = zone.liveSlot == slot.rawValue
                let instances = view.instances.filter { $0.zone == zone.name && $0.slot == slot.rawValue }
                html += "<td class=\"slot \(slot.rawValue)\(live ? " live" : "")\" data-slot=\"\(slot.rawValue)\">"
                html += live ? "<span class=\"badge live\">live</span>" : "<span class=\"badge idle\">idle</span>"
                html += "<ul class=\"instances\">" + instances.map { instance in
                    "<li class=\"health \(escape(instance.health))\" data-instance=\"\(escape(instance.name))\" data-health=\"\(escape(instance.health))\">"
                        + "\(escape(instance.name)) <span>\(escape(instance.address))</span> <span>\(escape(instance.health))</span>"
                        + (instance.version.map { " <span>\(escape($0))</span>" } ?? "") + "</li>"
                }.joined() + "</ul></td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }
}
