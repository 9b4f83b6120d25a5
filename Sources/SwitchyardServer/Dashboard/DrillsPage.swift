import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// `/ui/drills`: drill playbooks with their schedule and next run, and the recent runs with RTO, lowest success rate
/// and verdict; the newest run with a report shows its success-rate and p99 timeline (the report's own `DrillChart`).
/// `/ui/drills/runs/{id}` serves the run's full HTML report (`DrillReport.html()`). The API has no drill event stream
/// yet, so this page polls.
enum DrillsPage {
    static let pollMilliseconds = 5000

    static func live(playbooks: [DrillPlaybook], store: any StateStore, now: Date) async throws -> String {
        let escape = DashboardHTML.escape
        let runs: [DrillRunRecord], running: [DrillRunRecord]
        do {
            runs = try await store.listDrillRuns(playbook: nil, limit: 30)
            running = try await store.unfinishedDrillRuns().filter { !$0.id.hasPrefix(ScheduledFireRecord.prefix) }
        } catch { throw APIError.store(error) }
        var html = "<h2>Playbooks</h2>"
        if playbooks.isEmpty {
            html += "<p class=\"empty\">No drill playbook is loaded.</p>"
        } else {
            html += "<table class=\"playbooks\"><tr><th>playbook</th><th>topology</th><th>schedule</th><th>next run</th><th>running</th></tr>"
            for playbook in playbooks {
                let view = DrillView(playbook, state: nil, runningRun: running.last { $0.playbook == playbook.name }?.id, now: now, count: 1)
                let schedule = view.schedule.map { "\($0.cron) (\($0.timeZone))" } ?? "only when asked"
                let next = view.nextRuns.first.map { $0.local + ($0.blackout.map { " (blackout \($0): skipped)" } ?? "") } ?? ""
                html += "<tr data-playbook=\"\(escape(view.name))\"><td>\(escape(view.name))</td><td>\(escape(view.topology))</td><td>\(escape(schedule))</td>"
                html += "<td>\(escape(next))</td><td>\(escape(view.runningRun ?? ""))</td></tr>"
            }
            html += "</table>"
        }
        html += "<h2>Runs</h2>"
        guard !runs.isEmpty else { return html + "<p class=\"empty\">No drill has run yet.</p>" }
        let reports = runs.map { run in (run, try? run.report?.decode(DrillReport.self)) }
        html += "<table class=\"runs\"><tr><th>run</th><th>playbook</th><th>status</th><th>started</th><th>RTO</th><th>lowest success</th><th>requests lost</th><th>verdict</th></tr>"
        for (run, report) in reports {
            let view = DrillRunView(run)
            let m = report?.measurements
            let link = report == nil ? escape(view.id) : "<a href=\"/ui/drills/runs/\(escape(view.id))\">\(escape(view.id))</a>"
            html += "<tr data-run=\"\(escape(view.id))\" data-status=\"\(escape(view.status))\"><td>\(link)</td><td>\(escape(view.playbook))</td>"
            html += "<td class=\"outcome \(escape(view.status))\">\(escape(view.status))\(view.reason.map { ": \(escape($0))" } ?? "")</td>"
            html += "<td>\(DashboardHTML.time(view.startedAt))</td>"
            html += "<td class=\"rto\">\(m.map { $0.rto.map { DrillFormat.seconds($0) } ?? "not recovered" } ?? "")</td>"
            html += "<td>\(m?.lowestSuccessRate.map(DrillFormat.percent) ?? "")</td><td>\(m.map { "\($0.requestsLost)" } ?? "")</td>"
            html += "<td>\(escape(report?.verdictSummary ?? ""))</td></tr>"
        }
        html += "</table>"
        if let (run, report) = reports.first(where: { $0.1?.seconds.isEmpty == false }), let report {
            html += "<h2>Timeline of \(escape(run.id)) (\(escape(report.playbook)))</h2><div class=\"drill-chart\">\(DrillChart.svg(report))</div>"
        }
        return html
    }
}
