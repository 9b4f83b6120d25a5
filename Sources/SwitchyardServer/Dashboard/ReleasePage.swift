import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// `/ui/releases/{id}`: one release: its facts, each gate with its verdict and a chart of every measurement it took
/// (read back from the journal, `GateSampleJournal`), and the journal itself. While it runs, the page follows the
/// release's event stream and re-renders on each entry.
enum ReleasePage {
    static func live(_ record: ReleaseRecord, journal: [JournalEntry]) -> String {
        let escape = DashboardHTML.escape
        let view = ReleaseView(record)
        var html = "<div data-release=\"\(escape(view.id))\" data-phase=\"\(escape(view.phase))\" data-running=\"\(!record.isFinished)\">"
        var facts: [(String, String)] = [("service", view.service), ("topology", view.topology), ("version", view.version),
                                         ("from", view.previousVersion ?? "(first release)"), ("phase", view.phase)]
        if let outcome = view.outcome { facts.append(("outcome", outcome)) }
        if let reason = view.reason { facts.append(("reason", reason)) }
        facts += [("started by", view.startedBy), ("started", DashboardHTML.time(view.createdAt)), ("updated", DashboardHTML.time(view.updatedAt))]
        if let finished = view.finishedAt { facts.append(("finished", DashboardHTML.time(finished))) }
        html += "<dl class=\"facts\">" + facts.map { "<dt>\(escape($0.0))</dt><dd class=\"\($0.0 == "phase" ? "phase \(escape(view.phase))" : "")\">\(escape($0.1))</dd>" }.joined() + "</dl>"
        html += "</div>" + gates(view, journal: journal) + entries(journal)
        return html
    }

    static func gates(_ view: ReleaseView, journal: [JournalEntry]) -> String {
        let escape = DashboardHTML.escape
        let samples = journal.compactMap(GateSampleJournal.read)
        guard !view.gates.isEmpty || !samples.isEmpty else { return "<h2>Gates</h2><p class=\"empty\">No gate measured yet.</p>" }
        let names = view.gates.map(\.name) + Set(samples.map(\.gate)).subtracting(view.gates.map(\.name)).sorted()
        var html = "<h2>Gates</h2><div class=\"gates\">"
        for name in names {
            let gate = view.gates.first { $0.name == name }
            let mine = samples.filter { $0.gate == name }
            // The machine keeps the trackers of the stage it is in; an earlier stage's verdict is its last sample's.
            let verdict = gate?.verdict ?? mine.last?.verdict ?? "pending"
            html += "<figure class=\"gate \(ReleasesPage.verdictClass(verdict))\" data-gate=\"\(escape(name))\" data-samples=\"\(mine.count)\">"
            html += "<figcaption><strong>\(escape(name))</strong> \(escape(verdict))"
            if let gate { html += " <span class=\"hint\">\(gate.passes) pass, \(gate.failures) fail, \(gate.errors) error</span>" }
            html += "</figcaption>"
            if mine.isEmpty {
                html += "<p class=\"empty\">no measurement on record</p>"
            } else {
                let points = mine.map { GateSampleChart.Point(phase: $0.phase, value: $0.value, message: "\($0.stage): \($0.message)") }
                html += GateSampleChart.svg(points, title: "\(name): \(mine.count) measurement(s)")
                if let last = mine.last { html += "<p class=\"hint\">last: \(escape(last.phase)): \(escape(last.message))</p>" }
            }
            html += "</figure>"
        }
        return html + "</div>"
    }

    static func entries(_ journal: [JournalEntry]) -> String {
        let escape = DashboardHTML.escape
        var html = "<h2>Journal</h2><table class=\"journal\"><tr><th>#</th><th>at</th><th>kind</th><th>status</th><th>message</th></tr>"
        for entry in journal.suffix(300).reversed() {
            html += "<tr class=\"\(entry.kind.rawValue) \(entry.status.rawValue)\"><td>\(entry.sequence)</td><td>\(DashboardHTML.time(entry.at))</td>"
            html += "<td>\(entry.kind.rawValue)</td><td>\(entry.status.rawValue)</td><td>\(escape(entry.message))</td></tr>"
        }
        return html + "</table>"
    }
}
