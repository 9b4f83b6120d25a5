import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardRuntime

/// The dashboard's pages, all in the viewer group (a bearer token or a session cookie; see `AuthMiddleware`).
/// Each page is server-rendered: a frame (`DashboardHTML.page`) around one live region; `?part=live` answers the
/// region alone, which `live.js` fetches to re-render it when an event stream says something happened or a poll
/// interval passes. One renderer per page, whether it is the first load or an update.
enum DashboardRoutes {
    static func add(to routes: GuardedRoutes, catalog: LiveCatalog, store: any StateStore, drills: DrillScheduleService) {
        let health = InstanceHealth()

        routes.viewer.get("/ui") { request, _ in
            let live = try await FleetPage.live(catalog: catalog.current, store: store, health: health)
            return respond(request, "Fleet", section: .fleet, live: live, refresh: "/ui", poll: FleetPage.pollMilliseconds)
        }

        routes.viewer.get("/ui/releases") { request, _ in
            let live = try await ReleasesPage.live(store: store)
            return respond(request, "Releases", section: .releases, live: live, refresh: "/ui/releases", poll: ReleasesPage.pollMilliseconds,
                           after: "<aside><h2>Seen on this page</h2><ol id=\"phase-log\"></ol></aside>")
        }

        routes.viewer.get("/ui/releases/:id") { request, context in
            let record = try await ReleaseRoutes.existing(try context.parameters.require("id"), store)
            let journal: [JournalEntry]
            do { journal = try await store.journal(release: record.id) } catch { throw APIError.store(error) }
            let path = "/ui/releases/\(record.id)"
            return respond(request, "Release \(record.id)", section: .releases, live: ReleasePage.live(record, journal: journal), refresh: path, poll: 0,
                           events: record.isFinished ? nil : "/v1/releases/\(record.id)/events")
        }

        routes.viewer.get("/ui/drills") { request, _ in
            let live = try await DrillsPage.live(playbooks: catalog.current.set.drillPlaybooks, store: store, now: drills.clock())
            return respond(request, "Drills", section: .drills, live: live, refresh: "/ui/drills", poll: DrillsPage.pollMilliseconds)
        }

        routes.viewer.get("/ui/drills/runs/:id") { _, context in
            let id = try context.parameters.require("id")
            let record: DrillRunRecord?
            do { record = try await store.drillRun(id: id) } catch { throw APIError.store(error) }
            guard let record, let report = try? record.report?.decode(DrillReport.self) else { throw APIError.notFound("drill report", id) }
            return DashboardHTML.response(report.html())
        }

        routes.viewer.get("/ui/capacity") { request, _ in
            let live = try await CapacityPage.live(plans: catalog.current.set.capacityPlans, store: store)
            return respond(request, "Capacity plans", section: .capacity, live: live, refresh: "/ui/capacity", poll: 0)
        }
    }

    /// The whole page, or with `?part=live` only its live region's content.
    static func respond(_ request: Request, _ title: String, section: DashboardHTML.Section, live: String, refresh: String, poll: Int,
                        events: String? = nil, after: String = "") -> Response {
        if request.uri.queryParameters.get("part") == "live" { return DashboardHTML.response(live) }
        let escape = DashboardHTML.escape
        var region = "<p id=\"live-status\" class=\"hint\">loaded \(DashboardHTML.time(Date()))</p>"
        region += "<section id=\"live\" data-refresh=\"\(escape(refresh))?part=live\" data-poll=\"\(poll)\""
        if let events { region += " data-events=\"\(escape(events))\"" }
        region += ">\(live)</section>" + after
        return DashboardHTML.response(DashboardHTML.page(title, section: section, body: region))
    }
}
