import Foundation

extension DrillReport {
    /// A self-contained page: the timeline (inline SVG), a `db-primary-loss`'s writes, the verdict table, the
    /// measurements and the step journal with timestamps. No scripts, no external files.
    public func html() -> String {
        let escape = ReportChart.escape
        let title = escape("drill \(playbook): \(outcome.rawValue)")
        var page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>body{font-family:sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #e5e7eb;padding:.3em .7em;text-align:left;vertical-align:top}th{background:#f9fafb}.pass{color:#15803d;font-weight:bold}.fail{color:#b91c1c;font-weight:bold}.outcome-passed{color:#15803d}.outcome-failed,.outcome-error{color:#b91c1c}.outcome-aborted{color:#7c3aed}dt{font-weight:bold;float:left;clear:left;width:11em}dd{margin:0 0 .3em 12em}</style></head>
        <body><h1>Drill \(escape(playbook)): <span class="outcome-\(outcome.rawValue)">\(outcome.rawValue)</span></h1>

        """
        var facts: [(String, String)] = [("run", id), ("topology", topology), ("fault", "\(faultKind): \(faultDescription)"),
                                         ("started", DrillFormat.instant(startedAt))]
        if let finishedAt { facts.append(("finished", "\(DrillFormat.instant(finishedAt)) (\(DrillFormat.seconds(finishedAt.timeIntervalSince(startedAt))))")) }
        if let m = measurements {
            facts.append(("time to detect", m.timeToDetect.map { DrillFormat.seconds($0) } ?? "no failure seen"))
            facts.append(("RTO", m.rto.map { DrillFormat.seconds($0) + (m.recoveredBeforeRestore ? ", before the restore" : ", only after the restore") } ?? "not recovered"))
            facts.append(("success rate", (m.faultSuccessRate.map(DrillFormat.percent) ?? "n/a") + " during the fault, lowest second " + (m.lowestSuccessRate.map(DrillFormat.percent) ?? "n/a")))
            facts.append(("requests lost", "\(m.requestsLost)"))
            facts.append(("streams cut", "\(m.streamsCut)"))
            facts.append(("worst p99", DrillFormat.milliseconds(m.worstP99)))
        }
        if let recoveryMechanism { facts.append(("recovery", recoveryMechanism)) }
        if let guardrailTrip { facts.append(("guardrail", "\(guardrailTrip.rule) tripped at second \(guardrailTrip.second): \(guardrailTrip.message)")) }
        if restoredAfterCrash { facts.append(("restore", "the restores were still pending when the runner stopped; they were run at a later start")) }
        page += "<dl>" + facts.map { "<dt>\(escape($0.0))</dt><dd>\(escape($0.1))</dd>" }.joined() + "</dl>\n"
        if !seconds.isEmpty { page += DrillChart.svg(self) + "\n" }
        page += writesHTML()
        if !verdicts.isEmpty {
            page += "<h2>Objectives</h2>\n<table class=\"verdicts\"><tr><th>objective</th><th>target</th><th>measured</th><th>verdict</th></tr>\n"
            for verdict in verdicts {
                page += "<tr><td>\(escape(verdict.objective))</td><td>\(escape(verdict.target))</td><td>\(escape(verdict.measured))</td>"
                page += "<td class=\"\(verdict.passed ? "pass" : "fail")\">\(verdict.passed ? "pass" : "fail")</td></tr>\n"
            }
            page += "</table>\n"
        }
        if !steps.isEmpty {
            page += "<h2>Steps</h2>\n<table class=\"steps\"><tr><th>at</th><th>after start</th><th>step</th><th>status</th><th>detail</th></tr>\n"
            for step in steps {
                page += "<tr><td>\(DrillFormat.instant(step.at))</td><td>\(DrillFormat.offset(step.at, from: startedAt))</td><td>\(escape(step.step))</td>"
                page += "<td>\(escape(step.status))</td><td>\(escape(step.detail ?? ""))</td></tr>\n"
            }
            page += "</table>\n"
        }
        if !notes.isEmpty {
            page += "<h2>Notes</h2>\n<ul>" + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        page += "</body></html>\n"
        return page
    }
}
