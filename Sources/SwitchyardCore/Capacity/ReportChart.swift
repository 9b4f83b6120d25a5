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

    /// The whole picture: the full history and forecast on the left (past events marked, the model's fit
    /// over the history), the event window zoomed on the right, the capacity lines on both, and a warning
    /// when today's fleet cannot carry an ordinary day.
    public static func svg(_ report: ForecastReport, width: Double = 1400, height: Double = 560) -> String {
        let capacity = capacityLines(report.capacity)
        let warning = ordinaryDayWarning(report.capacity)
        let top = warning == nil ? 34.0 : 58.0, bottom = 100.0
        let split = (width * 0.62).rounded()
        let yMax = niceCeiling(max(([report.chartHistory.map(\.value).max() ?? 0, report.chartForecast.map(\.upper95).max() ?? 0]
            + capacity.map(\.qps)).max()! * 1.05, 1))
        let full = ChartPanel(report: report, capacity: capacity, frame: (78, top, split - 20, height - bottom), yMax: yMax,
                              range: (Double(report.chartHistory.first?.time ?? report.history.first),
                                      Double(max(report.chartForecast.last?.time ?? report.target.windowEnd, report.target.windowEnd) + CivilTime.secondsPerDay)),
                              title: "history and forecast", labels: true)
        let zoomStart = min(report.target.windowStart, report.target.eventStart) - 3 * CivilTime.secondsPerDay
        let zoomEnd = max(report.target.windowEnd, report.target.eventEnd) + CivilTime.secondsPerDay
        let zoom = ChartPanel(report: report, capacity: capacity, frame: (split + 46, top, width - 24, height - bottom), yMax: yMax,
                              range: (Double(zoomStart), Double(zoomEnd)), title: "\(report.target.name), zoomed", labels: false)
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#fff"/>

        """
        if let warning {
            svg += "<text x=\"78\" y=\"20\" fill=\"#b91c1c\" font-weight=\"bold\">⚠ \(escape(warning))</text>\n"
        }
        svg += full.render() + zoom.render()
        svg += "<text transform=\"translate(18 \(ChartPanel.f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">requests per second (QPS)</text>\n"
        svg += legend(capacity, left: 78, y: height - bottom + 48, right: width - 24)
        svg += "\n</svg>"
        return svg
    }

    /// A past event's days, for the chart (its last day included).
    public static func chartEvent(_ event: EventWindow) -> ForecastReport.ChartEvent {
        .init(name: event.name, start: event.firstDay * CivilTime.secondsPerDay, end: (event.firstDay + Int64(event.days)) * CivilTime.secondsPerDay)
    }

    /// "Today's fleet cannot carry an ordinary day" when some zone has fewer replicas than an ordinary day needs.
    public static func ordinaryDayWarning(_ plan: ZoneCapacityPlan) -> String? {
        let short = plan.lines.filter { $0.ordinary > $0.now }
        guard !short.isEmpty else { return nil }
        return "today's fleet cannot carry an ordinary day: " + short.map { "\($0.zone) has \($0.now), needs \($0.ordinary)" }.joined(separator: "; ")
    }

    static func legend(_ capacity: [CapacityLine], left: Double, y: Double, right: Double) -> String {
        var items: [(String, String)] = [("#374151", "history"), ("#9333ea", "model fit"), ("#1d4ed8", "forecast (median)"), ("#60a5fa", "80 % interval"),
                                         ("#bfdbfe", "95 % interval"), ("#fde68a", "event day(s)"), ("#fef3c7", "event window"), ("#e9d5ff", "past events")]
        items += capacity.map { ($0.colour, $0.dashed ? "capacity today" + ($0.label.contains("lost") ? ", one zone lost" : "") : "capacity planned") }
        var out = "", lx = left, ly = y
        for (colour, label) in items {
            let w = 26 + Double(label.count) * 6.6
            if lx + w > right { lx = left; ly += 20 }
            out += "<rect x=\"\(ChartPanel.f(lx))\" y=\"\(ChartPanel.f(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(ChartPanel.f(lx + 19))\" y=\"\(ChartPanel.f(ly))\">\(escape(label))</text>"
            lx += w + 12
        }
        return out
    }

    /// Label positions: each as near its wanted y as it can be, no two closer than `gap`, all within `[low, high]`.
    public static func spread(_ wanted: [Double], gap: Double, low: Double, high: Double) -> [Double] {
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
        var placed = Array(repeating: 0.0, count: wanted.count)
        var previous = -Double.infinity
        for index in order {
            let y = max(wanted[index], previous + gap, low)
            placed[index] = y
            previous = y
        }
        // Pushed past the bottom: shift the stack up as a whole, keeping the gaps.
        if let last = order.last, placed[last] > high {
            var next = high
            for index in order.reversed() {
                placed[index] = min(placed[index], next)
                next = placed[index] - gap
            }
        }
        return placed
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
