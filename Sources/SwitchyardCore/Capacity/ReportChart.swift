import Foundation

/// The SVG chart of a forecast report: history, point forecast, 80 % and 95 % bands, the event
/// window and the capacity lines. Pure string building.
public enum ReportChart {
    public static let maxPoints = 1_500

    /// Bucket maxima of the history (so peaks survive), as points whose bounds equal the value.
    public static func downsample(history: QPSSeries) -> [ForecastPoint] {
        let points = zip(history.times, history.values).map { ForecastPoint(time: $0, value: $1, lower80: $1, upper80: $1, lower95: $1, upper95: $1) }
        return downsample(points)
    }

    /// Buckets of consecutive points: the time and value of each bucket's highest point, the
    /// widest bounds.
    public static func downsample(_ points: [ForecastPoint]) -> [ForecastPoint] {
        guard points.count > maxPoints else { return points }
        let size = (points.count + maxPoints - 1) / maxPoints
        var out: [ForecastPoint] = []
        var start = 0
        while start < points.count {
            let bucket = points[start..<min(points.count, start + size)]
            var top = bucket.max { $0.value < $1.value }!
            top.lower80 = bucket.map(\.lower80).min()!
            top.lower95 = bucket.map(\.lower95).min()!
            top.upper80 = bucket.map(\.upper80).max()!
            top.upper95 = bucket.map(\.upper95).max()!
            out.append(top)
            start += size
        }
        return out
    }

    /// A horizontal capacity line: the QPS a set of replicas carries at the target utilisation.
    public struct CapacityLine: Sendable, Hashable {
        public var qps: Double
        public var colour: String
        public var label: String
        public var dashed: Bool
    }

    /// The capacity lines drawn on the chart, all at the target utilisation (no headroom taken
    /// off, so the gap between the 95 % band and the planned line is the headroom):
    /// today's fleet, today's fleet with one zone lost (when planned so), and the plan with one zone lost.
    public static func capacityLines(_ plan: ZoneCapacityPlan) -> [CapacityLine] {
        let input = plan.input
        let perInstance = input.perInstanceQPS * input.targetUtilisation.value
        let util = input.targetUtilisation.description
        func carried(_ counts: [Int], keep: Int) -> (replicas: Int, qps: Double) {
            let kept = counts.sorted().prefix(keep).reduce(0, +)  // the smallest zones: the worst loss
            return (kept, Double(kept) * perInstance)
        }
        let zones = plan.lines.count
        let now = plan.lines.map(\.now), needed = plan.lines.map(\.needed)
        var lines: [CapacityLine] = []
        let todayAll = carried(now, keep: zones)
        lines.append(CapacityLine(qps: todayAll.qps, colour: "#f97316",
                                  label: "today, all \(zones) zones: \(todayAll.replicas) replicas at \(util) = \(exactQPS(todayAll.qps)) QPS", dashed: true))
        if input.surviveZoneLoss {
            let todayLost = carried(now, keep: zones - 1)
            lines.append(CapacityLine(qps: todayLost.qps, colour: "#dc2626",
                                      label: "today, one zone lost: \(todayLost.replicas) replicas at \(util) = \(exactQPS(todayLost.qps)) QPS", dashed: true))
            let plannedLost = carried(needed, keep: zones - 1)
            lines.append(CapacityLine(qps: plannedLost.qps, colour: "#16a34a",
                                      label: "planned, one zone lost: \(plannedLost.replicas) replicas at \(util) = \(exactQPS(plannedLost.qps)) QPS", dashed: false))
        } else {
            let planned = carried(needed, keep: zones)
            lines.append(CapacityLine(qps: planned.qps, colour: "#16a34a",
                                      label: "planned, all \(zones) zones: \(planned.replicas) replicas at \(util) = \(exactQPS(planned.qps)) QPS", dashed: false))
        }
        return lines
    }

    public static func svg(_ report: ForecastReport, width: Double = 1100, height: Double = 520) -> String {
        let left = 78.0, right = 24.0, top = 34.0, bottom = 96.0
        let history = report.chartHistory, forecast = report.chartForecast
        let capacity = capacityLines(report.capacity)
        let t0 = Double(history.first?.time ?? report.history.first)
        // A day of margin after the window, so the event is not flush against the edge.
        let t1 = Double(max(forecast.last?.time ?? report.target.windowEnd, report.target.windowEnd) + CivilTime.secondsPerDay)
        let yMax = niceCeiling(max(([history.map(\.value).max() ?? 0, forecast.map(\.upper95).max() ?? 0] + capacity.map(\.qps)).max()! * 1.05, 1))
        let plotBottom = height - bottom
        func x(_ t: Int64) -> Double { left + (Double(t) - t0) / max(1, t1 - t0) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v / yMax) * (plotBottom - top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func path(_ points: [ForecastPoint], _ value: (ForecastPoint) -> Double) -> String {
            points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(x($0.element.time))),\(f(y(value($0.element))))" }.joined(separator: " ")
        }
        func band(_ lower: (ForecastPoint) -> Double, _ upper: (ForecastPoint) -> Double) -> String {
            guard !forecast.isEmpty else { return "" }
            let up = forecast.map { "\(f(x($0.time))),\(f(y(upper($0))))" }
            let down = forecast.reversed().map { "\(f(x($0.time))),\(f(y(lower($0))))" }
            return "M" + (up + down).joined(separator: " L") + " Z"
        }
        let windowX = x(report.target.windowStart), windowW = max(2, x(report.target.windowEnd) - windowX)
        let eventX = x(report.target.eventStart), eventW = max(2, x(report.target.eventEnd) - eventX)
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#fff"/>
        <rect x="\(f(windowX))" y="\(f(top))" width="\(f(windowW))" height="\(f(plotBottom - top))" fill="#fef3c7"><title>\(escape(report.target.name)) window (with the days before and after)</title></rect>
        <rect x="\(f(eventX))" y="\(f(top))" width="\(f(eventW))" height="\(f(plotBottom - top))" fill="#fde68a"><title>\(escape(report.target.name))</title></rect>
        <text x="\(f(windowX + windowW))" y="\(f(top - 8))" text-anchor="end" font-weight="bold">\(escape(report.target.name)) \(CivilTime.formatDate(seconds: report.target.eventStart))</text>

        """
        // Value axis: round steps, a title.
        let ticks = 5
        for k in 0...ticks {
            let v = yMax * Double(k) / Double(ticks)
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#e5e7eb\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(formatQPS(v))</text>\n"
        }
        svg += "<text transform=\"translate(18 \(f((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">requests per second (QPS)</text>\n"
        // Time axis: the 1st and the 15th of each month.
        var day = CivilTime.localDateTime(seconds: Int64(t0))
        day = LocalDateTime(year: day.year, month: day.month, day: day.day)
        var t = CivilTime.seconds(day)
        while Double(t) <= t1 {
            let d = CivilTime.localDateTime(seconds: t)
            if Double(t) >= t0, d.day == 1 || d.day == 15 {
                svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(plotBottom))\" y2=\"\(f(plotBottom + 5))\" stroke=\"#6b7280\"/>"
                svg += "<text x=\"\(f(x(t)))\" y=\"\(f(plotBottom + 18))\" text-anchor=\"middle\">\(CivilTime.formatDate(seconds: t))</text>\n"
            }
            t += CivilTime.secondsPerDay
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(plotBottom))\" y2=\"\(f(plotBottom))\" stroke=\"#6b7280\"/>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(plotBottom))\" stroke=\"#6b7280\"/>\n"
        // Where the history ends and the forecast begins.
        let historyEnd = x(report.history.last)
        svg += "<line x1=\"\(f(historyEnd))\" x2=\"\(f(historyEnd))\" y1=\"\(f(top))\" y2=\"\(f(plotBottom))\" stroke=\"#6b7280\" stroke-dasharray=\"2 3\"/>"
        svg += "<text x=\"\(f(historyEnd - 4))\" y=\"\(f(top + 12))\" text-anchor=\"end\" fill=\"#4b5563\">history</text>"
        svg += "<text x=\"\(f(historyEnd + 4))\" y=\"\(f(top + 12))\" fill=\"#4b5563\">forecast</text>\n"
        svg += "<path d=\"\(band(\.lower95, \.upper95))\" fill=\"#bfdbfe\"><title>95 % interval</title></path>\n"
        svg += "<path d=\"\(band(\.lower80, \.upper80))\" fill=\"#60a5fa\" opacity=\"0.6\"><title>80 % interval</title></path>\n"
        svg += "<path d=\"\(path(history, \.value))\" fill=\"none\" stroke=\"#374151\" stroke-width=\"1\"><title>history (hourly maxima)</title></path>\n"
        svg += "<path d=\"\(path(forecast, \.value))\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"1.5\"><title>forecast (median)</title></path>\n"
        // Capacity lines, labelled at the left where the history is low; labels kept 14 px apart.
        var lastLabelY = Double.infinity
        for line in capacity.sorted(by: { $0.qps < $1.qps }) {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(line.qps)))\" y2=\"\(f(y(line.qps)))\" stroke=\"\(line.colour)\" stroke-width=\"\(line.dashed ? "1.5" : "2")\"\(line.dashed ? " stroke-dasharray=\"7 4\"" : "")/>"
            let labelY = min(y(line.qps) - 4, lastLabelY - 14)
            lastLabelY = labelY
            svg += "<text x=\"\(f(left + 6))\" y=\"\(f(labelY))\" fill=\"\(line.colour)\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(escape(line.label))</text>\n"
        }
        // The peak the plan is for.
        let peak = report.peak
        svg += "<circle cx=\"\(f(x(peak.time)))\" cy=\"\(f(y(peak.value)))\" r=\"3.5\" fill=\"#1d4ed8\"/>"
        svg += "<line x1=\"\(f(x(peak.time) - 10))\" x2=\"\(f(x(peak.time) + 10))\" y1=\"\(f(y(report.peakUpper95)))\" y2=\"\(f(y(report.peakUpper95)))\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(f(x(peak.time) - 14))\" y=\"\(f(y(report.peakUpper95) + 4))\" text-anchor=\"end\" fill=\"#1d4ed8\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">peak \(exactQPS(peak.value)) QPS \(CivilTime.format(seconds: peak.time)), 95 % upper bound \(exactQPS(report.peakUpper95))</text>\n"
        // Legend, inside the picture so that a screenshot of the chart alone still reads.
        var legend: [(String, String)] = [("#374151", "history"), ("#1d4ed8", "forecast (median)"), ("#60a5fa", "80 % interval"), ("#bfdbfe", "95 % interval"),
                                          ("#fde68a", "event day(s)"), ("#fef3c7", "event window")]
        legend += capacity.map { ($0.colour, $0.dashed ? "capacity today" + ($0.label.contains("lost") ? ", one zone lost" : "") : "capacity planned") }
        var lx = left, ly = plotBottom + 44
        for (colour, label) in legend {
            let w = 26 + Double(label.count) * 6.6
            if lx + w > width - right { lx = left; ly += 20 }
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(f(lx + 19))\" y=\"\(f(ly))\">\(escape(label))</text>"
            lx += w + 12
        }
        svg += "\n</svg>"
        return svg
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at or above `v`, so the axis steps are round.
    static func niceCeiling(_ v: Double) -> Double {
        let magnitude = pow(10, (log10(v)).rounded(.down))
        for m in [1.0, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] where m * magnitude >= v { return m * magnitude }
        return 10 * magnitude
    }

    public static func formatQPS(_ v: Double) -> String {
        func trimmed(_ x: Double, _ unit: String) -> String {
            x == x.rounded() ? String(format: "%.0f%@", x, unit) : String(format: "%.1f%@", x, unit)
        }
        if v >= 1e6 { return trimmed(v / 1e6, "M") }
        if v >= 1e4 { return String(format: "%.0fk", v / 1e3) }
        if v >= 1e3 { return trimmed((v / 100).rounded() / 10, "k") }
        return String(format: "%.0f", v)
    }

    /// A whole number of QPS with thousands separated: 13,661.
    public static func exactQPS(_ v: Double) -> String {
        let digits = String(Int(v.rounded()))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0, c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
