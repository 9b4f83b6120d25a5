import Foundation

extension DrillReport {
    /// The terminal summary: a header, the verdict table, the success rate per second as a
    /// sparkline with the fault's marks, the step journal and the notes.
    public var text: String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append(name.padding(toLength: 10, withPad: " ", startingAt: 0) + value) }
        lines.append("drill \(playbook): \(outcome.rawValue.uppercased())")
        field("id", id)
        field("topology", topology)
        field("fault", "\(faultKind): \(faultDescription)")
        var when = DrillFormat.instant(startedAt)
        if let finishedAt { when += " to \(DrillFormat.instant(finishedAt)) (\(DrillFormat.seconds(finishedAt.timeIntervalSince(startedAt))))" }
        field("run", when)
        if !seconds.isEmpty {
            let t = totals
            field("traffic", "\(seconds.count) s, \(t.sent) requests sent: \(t.succeeded) succeeded, \(t.failed) failed; \(t.streamsOpened) streams opened, \(t.streamsCut) cut")
        }
        if let m = measurements {
            field("injected", "at \(DrillFormat.seconds(m.injectedAt)) of traffic" + (m.restoredAt.map { ", restored at \(DrillFormat.seconds($0))" } ?? ", not restored during the traffic"))
            field("detected", m.timeToDetect.map { "\(DrillFormat.seconds($0)) after the injection" } ?? "no failure seen")
            if let rto = m.rto {
                field("recovered", rto == 0 ? "never under \(DrillFormat.percent(m.objectiveRate))" :
                    "\(DrillFormat.seconds(rto)) after the injection (\(m.window) s in a row at \(DrillFormat.percent(m.objectiveRate)) or better), "
                    + (m.recoveredBeforeRestore ? "before the restore" : "only after the restore"))
            } else {
                field("recovered", "not within the traffic (no \(m.window) s in a row at \(DrillFormat.percent(m.objectiveRate)) or better)")
            }
            field("impact", "\(m.requestsLost) requests lost, \(m.streamsCut) streams cut, lowest second "
                + (m.lowestSuccessRate.map(DrillFormat.percent) ?? "n/a") + ", worst p99 \(DrillFormat.milliseconds(m.worstP99))")
        }
        if let recoveryMechanism { field("recovery", recoveryMechanism) }
        if let vipFailover { field("vip", vipFailover.summary) }
        if let writes { for (index, line) in writes.lines.enumerated() { field(index == 0 ? "writes" : "", line) } }
        if let guardrailTrip { field("guardrail", "\(guardrailTrip.rule) tripped at second \(guardrailTrip.second): \(guardrailTrip.message)") }
        if restoredAfterCrash { field("restore", "the restores were still pending when the runner stopped; they were run at a later start") }

        if !verdicts.isEmpty {
            lines.append("")
            var table = TextTable(headers: ["objective", "target", "measured", "verdict"])
            table.rows = verdicts.map { [$0.objective, $0.target, $0.measured, $0.passed ? "pass" : "FAIL"] }
            lines.append(table.rendered)
        }
        if !seconds.isEmpty {
            lines.append("")
            lines += sparkline()
        }
        if !steps.isEmpty {
            lines.append("")
            lines.append("steps")
            var table = TextTable(headers: ["at", "after start", "step", "status", "detail"])
            table.rows = steps.map { [DrillFormat.instant($0.at), DrillFormat.offset($0.at, from: startedAt), $0.step, $0.status, $0.detail ?? ""] }
            lines.append(table.rendered)
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("notes")
            lines += notes.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The success rate per second in block characters (one column per second, or per bucket of
    /// seconds showing its worst, for long runs), and a line of marks under it.
    func sparkline(maxColumns: Int = 100) -> [String] {
        let end = (seconds.map(\.second).max() ?? 0) + 1
        let bucket = max(1, (end + maxColumns - 1) / maxColumns)
        let columns = (end + bucket - 1) / bucket
        var worst = [Double?](repeating: nil, count: columns)
        for second in seconds where second.second >= 0 {
            guard let rate = second.successRate else { continue }
            let column = second.second / bucket
            worst[column] = min(worst[column] ?? 1, rate)
        }
        let blocks = Array("▁▂▃▄▅▆▇█")
        // Only a perfect second is a full block: any failure shows.
        let bar = String(worst.map { rate in rate.map { $0 >= 1 ? "█" : blocks[min(6, Int(($0 * 7).rounded(.down)))] } ?? "·" })
        // Marks that fall on a taken column go on a second row, so that none hides another.
        var rows: [[Character]] = []
        var legend: [String] = []
        func mark(_ time: Double?, _ letter: Character, _ meaning: String) {
            guard let time, time >= 0 else { return }
            let column = min(columns - 1, Int(time) / bucket)
            if let row = rows.firstIndex(where: { $0[column] == " " }) {
                rows[row][column] = letter
            } else {
                rows.append([Character](repeating: " ", count: columns))
                rows[rows.count - 1][column] = letter
            }
            legend.append("\(letter) \(meaning)")
        }
        if let m = measurements {
            mark(m.injectedAt, "F", "fault injected")
            mark(m.detectedAt, "D", "first failure")
            if m.rto != 0 { mark(m.recoveredAt, "R", "recovered") }
            mark(m.restoredAt, "X", "restored")
        }
        if let guardrailTrip { mark(Double(guardrailTrip.second), "G", "guardrail tripped") }
        let scale = bucket == 1 ? "per second" : "per \(bucket) s (worst of each)"
        let left = "0s ", pad = String(repeating: " ", count: left.count)
        var out = ["success rate \(scale): █ 100%, ▁ under 1/7, · nothing finished", left + bar + " \(end)s"]
        if !legend.isEmpty {
            out += rows.map { pad + String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            out.append(pad + legend.joined(separator: ", "))
        }
        return out
    }
}
