import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// `/ui/capacity`: the capacity plans the daemon has loaded, each with its latest forecast report from the state
/// (`yard forecast PLAYBOOK` keeps it there): the peak and its interval, replicas per zone now and planned, a warning
/// when today's fleet cannot carry an ordinary day, and the planner's chart.
enum CapacityPage {
    static func live(plans: [CapacityPlan], store: any StateStore) async throws -> String {
        var reports: [String: (at: Date, report: ForecastReport)] = [:]
        for plan in plans {
            do { reports[plan.name] = try await store.latestCapacityReport(plan: plan.name) } catch { throw APIError.store(error) }
        }
        return body(plans, reports: reports)
    }

    static func body(_ plans: [CapacityPlan], reports: [String: (at: Date, report: ForecastReport)]) -> String {
        let escape = DashboardHTML.escape
        guard !plans.isEmpty else { return "<p class=\"empty\">No capacity plan is loaded.</p>" }
        var html = "<table class=\"plans\"><tr><th>plan</th><th>topology</th><th>service</th><th>target event</th><th>headroom</th><th>survives a zone loss</th><th>latest report</th></tr>"
        for plan in plans {
            let stored = reports[plan.name]
            html += "<tr data-plan=\"\(escape(plan.name))\"><td>\(escape(plan.name))</td><td>\(escape(plan.topology))</td><td>\(escape(plan.service))</td>"
            html += "<td>\(escape("\(plan.target.name) \(plan.target.start) to \(plan.target.end)"))</td><td>\(escape(plan.headroom.description))</td><td>\(plan.surviveZoneLoss ? "yes" : "no")</td>"
            html += "<td>\(stored.map { DashboardHTML.time($0.at) } ?? "none yet")</td></tr>"
        }
        html += "</table>"
        for plan in plans {
            guard let (at, report) = reports[plan.name] else {
                html += "<p class=\"hint\" data-no-report=\"\(escape(plan.name))\">\(escape(plan.name)): no report yet; <code>yard forecast \(escape(plan.name))</code> "
                html += "against this daemon's state file computes one and keeps it here.</p>"
                continue
            }
            html += section(plan.name, at: at, report)
        }
        return html
    }

    static func section(_ name: String, at: Date, _ report: ForecastReport) -> String {
        let escape = DashboardHTML.escape
        let capacity = report.capacity
        var html = "<section class=\"capacity-report\" data-report=\"\(escape(name))\"><h2>\(escape(name)): \(escape(report.target.name))</h2>"
        html += "<p>computed \(DashboardHTML.time(at)) · peak <b>\(ReportChart.exactQPS(report.peak.value)) QPS</b> at \(escape(CivilTime.format(seconds: report.peak.time)))"
        html += ", 95 % upper \(ReportChart.exactQPS(report.peakUpper95)) · \(ReportChart.exactQPS(capacity.input.perInstanceQPS)) QPS per instance"
        html += capacity.input.perInstanceBasis.map { " (\(escape($0)))" } ?? ""
        html += "</p>"
        for warning in report.warnings { html += "<p class=\"warning\">⚠ \(escape(warning))</p>" }
        html += "<table class=\"zones\"><tr><th>zone</th><th>now</th><th>event</th><th>ordinary day</th></tr>"
        for line in capacity.lines {
            html += "<tr><td>\(escape(line.zone))</td><td>\(line.now)</td><td>\(line.needed)</td><td>\(line.ordinary)</td></tr>"
        }
        html += "<tr><td>total</td><td>\(capacity.totalNow)</td><td>\(capacity.totalNeeded)</td><td>\(capacity.totalOrdinary)</td></tr></table>"
        html += "<div class=\"chart\">\(ReportChart.svg(report))</div></section>"
        return html
    }
}
