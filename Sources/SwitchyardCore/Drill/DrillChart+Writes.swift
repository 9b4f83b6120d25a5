import Foundation

/// The third panel of a `db-primary-loss`'s timeline: the write probe's writes per second, acknowledged (green) with
/// the failed ones stacked on them (red), on the HTTP panels' time axis. The write seconds count from the kill, so each
/// bar is drawn from `injectedAt + k` to `injectedAt + k + 1` of the traffic's time.
extension DrillChart {
    static let writesPanelHeight = 124.0

    /// The write seconds to draw and where second 0 of them falls on the traffic's axis; nil without a write series or
    /// without the injection's place on that axis.
    static func writeSeries(_ report: DrillReport) -> (seconds: [WriteSecond], killAt: Double)? {
        guard let writes = report.writes, !writes.seconds.isEmpty, let m = report.measurements else { return nil }
        return (writes.seconds, m.injectedAt)
    }

    static func writeMarks(_ report: DrillReport) -> [Mark] {
        guard let (_, killAt) = writeSeries(report), let writes = report.writes else { return [] }
        var marks: [Mark] = []
        if let promoted = writes.promotedAfter {
            marks.append(Mark(kind: "promoted", time: killAt + promoted, colour: "#0e7490", label: "promoted +\(DrillFormat.seconds(promoted))"))
        }
        if let first = writes.firstWriteOnNewPrimary {
            marks.append(Mark(kind: "writes-back", time: killAt + first, colour: "#15803d", label: "writes back +\(DrillFormat.seconds(first))"))
        }
        return marks
    }

    static func writesPanel(_ report: DrillReport, x: (Double) -> Double, top: Double, bottom: Double, left: Double, right: Double, width: Double) -> String {
        guard let (seconds, killAt) = writeSeries(report) else { return "" }
        let escape = ReportChart.escape
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        let yMax = ReportChart.niceCeiling(max(Double(seconds.map(\.finished).max() ?? 0) * 1.05, 1))
        func y(_ v: Double) -> Double { top + (1 - v / yMax) * (bottom - top) }
        var svg = ""
        svg += gridLines((0...2).map { yMax * Double($0) / 2 }, y: y, left: left, right: right, width: width) { "\(Int($0.rounded()))/s" }
        svg += "<text transform=\"translate(18 \(f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">writes</text>\n"
        svg += "<g class=\"writes\">"
        for second in seconds {
            let from = x(killAt + Double(second.second)), to = x(killAt + Double(second.second) + 1)
            let barWidth = f(max(1, (to - from) * 0.8)), barX = f(from + (to - from) * 0.1)
            let title = "<title>\(second.second) s after the loss: \(second.acknowledged) acknowledged, \(second.failed) failed, \(second.sent) sent</title>"
            if second.finished == 0 {
                svg += "<rect class=\"write-none\" x=\"\(barX)\" y=\"\(f(bottom - 2))\" width=\"\(barWidth)\" height=\"2\" fill=\"#9ca3af\">\(title)</rect>"
                continue
            }
            let ackTop = y(Double(second.acknowledged)), failTop = y(Double(second.finished))
            if second.acknowledged > 0 {
                svg += "<rect class=\"write-ack\" x=\"\(barX)\" y=\"\(f(ackTop))\" width=\"\(barWidth)\" height=\"\(f(bottom - ackTop))\" fill=\"#16a34a\">\(title)</rect>"
            }
            if second.failed > 0 {
                svg += "<rect class=\"write-failed\" x=\"\(barX)\" y=\"\(f(failTop))\" width=\"\(barWidth)\" height=\"\(f(ackTop - failTop))\" fill=\"#dc2626\">\(title)</rect>"
            }
        }
        svg += "</g>\n"
        let legendX = width - right - 4
        svg += "<text x=\"\(f(legendX))\" y=\"\(f(top + 12))\" text-anchor=\"end\">\(escape("writes per second: "))"
        svg += "<tspan fill=\"#16a34a\">acknowledged</tspan>, <tspan fill=\"#dc2626\">failed</tspan>, <tspan fill=\"#9ca3af\">none finished</tspan></text>\n"
        return svg
    }
}
