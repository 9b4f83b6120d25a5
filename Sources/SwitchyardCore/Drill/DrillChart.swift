import Foundation

/// The SVG timeline of a drill report: success rate and p99 per second in two panels sharing the
/// time axis (and a `db-primary-loss`'s writes per second in a third, `DrillChart+Writes`), the fault window shaded, and marks where the fault went in, the first failure was
/// seen, the fleet recovered, the fault was restored and a guardrail tripped. Pure string building;
/// the axis rounding and escaping are the forecast chart's (`ReportChart`).
public enum DrillChart {
    struct Mark {
        var kind: String, time: Double, colour: String, label: String
    }

    static func marks(_ report: DrillReport) -> [Mark] {
        var marks: [Mark] = []
        if let m = report.measurements {
            marks.append(Mark(kind: "inject", time: m.injectedAt, colour: "#b91c1c", label: "fault injected"))
            if let detect = m.timeToDetect { marks.append(Mark(kind: "detect", time: m.injectedAt + detect, colour: "#ea580c", label: "detected +\(DrillFormat.seconds(detect))")) }
            if let rto = m.rto, rto > 0 { marks.append(Mark(kind: "recover", time: m.injectedAt + rto, colour: "#15803d", label: "recovered +\(DrillFormat.seconds(rto))")) }
            if let restored = m.restoredAt { marks.append(Mark(kind: "restore", time: restored, colour: "#1d4ed8", label: "restored")) }
        }
        if let trip = report.guardrailTrip {
            marks.append(Mark(kind: "guardrail", time: Double(trip.second) + 1, colour: "#7c3aed", label: "guardrail: \(trip.rule)"))
        }
        return (marks + writeMarks(report)).sorted { $0.time < $1.time }
    }

    /// A round step for the time axis giving at most about 12 ticks.
    static func timeStep(_ span: Double) -> Int {
        [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1_800, 3_600].first { span / Double($0) <= 12 } ?? 7_200
    }

    /// `height` is the two HTTP panels'; the writes panel, when there is one, makes the picture taller.
    public static func svg(_ report: DrillReport, width: Double = 1100, height panelsHeight: Double = 560) -> String {
        let escape = ReportChart.escape
        let left = 78.0, right = 24.0, top = 70.0, gap = 46.0, bottom = 74.0
        let writes = writeSeries(report)
        let height = panelsHeight + (writes == nil ? 0 : gap + writesPanelHeight)
        let plotHeight = panelsHeight - top - bottom - gap
        let rateTop = top, rateBottom = top + plotHeight * 0.6
        let p99Top = rateBottom + gap, p99Bottom = panelsHeight - bottom
        let writesTop = p99Bottom + gap, writesBottom = writesTop + writesPanelHeight
        // The time axis goes under the last panel.
        let axisBottom = writes == nil ? p99Bottom : writesBottom
        let m = report.measurements
        let lastSecond = report.seconds.map(\.second).max() ?? 0
        let lastWrite = writes.map { $0.killAt + Double(($0.seconds.last?.second ?? 0) + 1) } ?? 0
        let end = max(Double(lastSecond + 1), (m?.restoredAt ?? 0) + 1, (m?.injectedAt ?? 0) + 1, lastWrite, 1)
        func x(_ t: Double) -> Double { left + t / end * (width - left - right) }
        func yRate(_ r: Double) -> Double { rateTop + (1 - r) * (rateBottom - rateTop) }
        let p99Max = ReportChart.niceCeiling(max((report.seconds.map(\.p99).max() ?? 0) * 1.05, 1))
        func yP99(_ v: Double) -> Double { p99Top + (1 - v / p99Max) * (p99Bottom - p99Top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        /// A line through the middle of each second; a second with nothing finished breaks it.
        func path(_ value: (DrillSecond) -> Double?) -> String {
            var d: [String] = []
            var previous: Int?
            for second in report.seconds.sorted(by: { $0.second < $1.second }) {
                guard let v = value(second) else { previous = nil; continue }
                let point = "\(f(x(Double(second.second) + 0.5))),\(f(v))"
                d.append((previous == second.second - 1 ? "L" : "M") + point)
                previous = second.second
            }
            return d.joined(separator: " ")
        }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#fff"/>

        """
        // The fault window, over both panels.
        if let m {
            let from = x(m.injectedAt), to = x(m.restoredAt ?? end)
            svg += "<rect class=\"fault-window\" x=\"\(f(from))\" y=\"\(f(rateTop))\" width=\"\(f(max(2, to - from)))\" height=\"\(f(axisBottom - rateTop))\" fill=\"#fee2e2\">"
            svg += "<title>fault window: \(escape(report.faultKind)): \(escape(report.faultDescription))</title></rect>"
            svg += "<text x=\"\(f(from + 4))\" y=\"\(f(rateBottom - 6))\" fill=\"#b91c1c\">fault in place</text>\n"
        }
        // Success rate panel.
        svg += gridLines((0...4).map { Double($0) / 4 }, y: yRate, left: left, right: right, width: width) { "\(Int(($0 * 100).rounded()))%" }
        svg += "<text transform=\"translate(18 \(f((rateTop + rateBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">success rate</text>\n"
        if let m {
            let y = yRate(m.objectiveRate)
            svg += "<line class=\"objective\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#16a34a\" stroke-dasharray=\"6 4\"/>"
            svg += "<text x=\"\(f(width - right - 4))\" y=\"\(f(y + 14))\" text-anchor=\"end\" fill=\"#16a34a\">objective \(DrillFormat.percent(m.objectiveRate))</text>\n"
        }
        svg += "<path class=\"success-rate\" d=\"\(path { $0.successRate.map(yRate) })\" fill=\"none\" stroke=\"#111827\" stroke-width=\"1.5\"><title>success rate per second</title></path>\n"
        if report.seconds.count <= 900 {
            for second in report.seconds where second.failed > 0 {
                svg += "<circle cx=\"\(f(x(Double(second.second) + 0.5)))\" cy=\"\(f(yRate(second.successRate ?? 0)))\" r=\"2.5\" fill=\"#dc2626\">"
                svg += "<title>second \(second.second): \(second.failed) failed of \(second.finished)</title></circle>"
            }
            svg += "\n"
        }
        // p99 panel.
        svg += gridLines((0...3).map { p99Max * Double($0) / 3 }, y: yP99, left: left, right: right, width: width) { DrillFormat.milliseconds($0) }
        svg += "<text transform=\"translate(18 \(f((p99Top + p99Bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">p99 latency</text>\n"
        svg += "<path class=\"p99\" d=\"\(path { $0.finished > 0 ? yP99($0.p99) : nil })\" fill=\"none\" stroke=\"#7c3aed\" stroke-width=\"1.5\"><title>p99 per second</title></path>\n"
        if writes != nil {
            svg += writesPanel(report, x: x, top: writesTop, bottom: writesBottom, left: left, right: right, width: width)
        }
        // Axes, the time axis under each panel.
        for (panelTop, panelBottom) in [(rateTop, rateBottom), (p99Top, p99Bottom)] + (writes == nil ? [] : [(writesTop, writesBottom)]) {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(panelBottom))\" y2=\"\(f(panelBottom))\" stroke=\"#6b7280\"/>"
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(panelTop))\" y2=\"\(f(panelBottom))\" stroke=\"#6b7280\"/>\n"
        }
        let step = timeStep(end)
        for t in stride(from: 0, through: Int(end), by: step) {
            svg += "<line x1=\"\(f(x(Double(t))))\" x2=\"\(f(x(Double(t))))\" y1=\"\(f(axisBottom))\" y2=\"\(f(axisBottom + 5))\" stroke=\"#6b7280\"/>"
            svg += "<text x=\"\(f(x(Double(t))))\" y=\"\(f(axisBottom + 18))\" text-anchor=\"middle\">\(t)s</text>\n"
        }
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(axisBottom + 36))\" text-anchor=\"middle\">seconds since the traffic started</text>\n"
        // Marks: a line over both panels, labels in three rows so that close marks stay readable.
        for (index, mark) in marks(report).enumerated() {
            let mx = x(min(mark.time, end))
            let labelY = top - 10 - Double(index % 3) * 16
            svg += "<g class=\"mark \(mark.kind)\"><line x1=\"\(f(mx))\" x2=\"\(f(mx))\" y1=\"\(f(labelY + 4))\" y2=\"\(f(axisBottom))\" stroke=\"\(mark.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(f(mx + 3))\" y=\"\(f(labelY))\" fill=\"\(mark.colour)\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(escape(mark.label))</text>"
            svg += "<title>\(escape(mark.label)) at \(DrillFormat.seconds(mark.time))</title></g>\n"
        }
        svg += "</svg>"
        return svg
    }
}
