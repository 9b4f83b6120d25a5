import Foundation
import SwitchyardRuntime

/// `/ui/releases`: running and past releases, newest first. Each running row names its event stream, which the page
/// follows (`live.js`): a journal entry re-renders the table; a slow poll finds releases started since.
enum ReleasesPage {
    static let pollMilliseconds = 2000

    static func live(store: any StateStore, limit: Int = 30) async throws -> String {
        let escape = DashboardHTML.escape
        let records: [ReleaseRecord]
        do { records = try await store.listReleases(ReleaseQuery(service: nil, limit: limit)) } catch { throw APIError.store(error) }
        guard !records.isEmpty else { return "<p class=\"empty\">No release yet. <code>yard release SERVICE --version V</code> starts one.</p>" }
        var html = "<table class=\"releases\"><tr><th>release</th><th>service</th><th>version</th><th>from</th><th>phase</th><th>outcome</th>"
        html += "<th>gates</th><th>started</th><th>by</th></tr>"
        for record in records {
            let view = ReleaseView(record)
            let running = !record.isFinished
            html += "<tr data-release=\"\(escape(view.id))\" data-phase=\"\(escape(view.phase))\" data-running=\"\(running)\""
            html += running ? " data-events=\"/v1/releases/\(escape(view.id))/events\">" : ">"
            html += "<td><a href=\"/ui/releases/\(escape(view.id))\">\(escape(view.id))</a></td><td>\(escape(view.service))</td>"
            html += "<td>\(escape(view.version))</td><td>\(escape(view.previousVersion ?? ""))</td>"
            html += "<td class=\"phase \(escape(view.phase))\">\(escape(view.phase))</td><td class=\"outcome \(escape(view.outcome ?? ""))\">\(escape(view.outcome ?? ""))</td>"
            html += "<td>" + view.gates.map { "<span class=\"gate \(verdictClass($0.verdict))\" title=\"\(escape($0.verdict))\">\(escape($0.name))</span>" }.joined(separator: " ") + "</td>"
            html += "<td>\(DashboardHTML.time(view.createdAt))</td><td>\(escape(view.startedBy))</td></tr>"
        }
        return html + "</table>"
    }

    /// `passed`, `failed` or `pending`, from a verdict as `ReleaseView` words it (`failed: why`).
    static func verdictClass(_ verdict: String) -> String {
        verdict.hasPrefix("failed") ? "failed" : verdict == "passed" ? "passed" : "pending"
    }
}
