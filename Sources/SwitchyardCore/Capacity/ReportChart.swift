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

    public static func svg(_ report: ForecastReport, width: Double = 960, height: Double = 420) -> String {
        let left = 70.0, right = 20.0, top = 20.0, bottom = 40.0
        let history = report.chartHistory, forecast = report.chartForecast
        let capacityNeeded = Double(report.capacity.lines.map(\.needed).sorted().dropLast(report.capacity.input.surviveZoneLoss ? 1 : 0).reduce(0, +))
            * report.capacity.input.perInstanceQPS * report.capacity.input.targetUtilisation.value / (1 + report.capacity.input.headroom.value)
        let capacityNow = report.capacity.capacityNowQPS
        let t0 = Double(history.first?.time ?? report.history.first)
        let t1 = Double(max(forecast.last?.time ?? report.target.windowEnd, report.target.windowEnd))
        let yMax = max(([history.map(\.value).max() ?? 0, forecast.map(\.upper95).max() ?? 0, capacityNow, capacityNeeded].max() ?? 1) * 1.08, 1)
        func x(_ t: Int64) -> Double { left + (Double(t) - t0) / max(1, t1 - t0) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - v / yMax) * (height - top - bottom) }
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
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#fff"/>
        <rect x="\(f(x(report.target.windowStart)))" y="\(f(top))" width="\(f(max(1, x(report.target.windowEnd) - x(report.target.windowStart))))" height="\(f(height - top - bottom))" fill="#fde68a" opacity="0.45"><title>\(escape(report.target.name)) window</title></rect>

        """
        for k in 0...4 {
            let v = yMax * Double(k) / 4
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#e5e7eb\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(formatQPS(v))</text>\n"
        }
        for k in 0...5 {
            let t = Int64(t0 + (t1 - t0) * Double(k) / 5)
            svg += "<text x=\"\(f(x(t)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\">\(CivilTime.formatDate(seconds: t))</text>\n"
        }
        svg += "<path d=\"\(band(\.lower95, \.upper95))\" fill=\"#93c5fd\" opacity=\"0.35\"><title>95 % interval</title></path>\n"
        svg += "<path d=\"\(band(\.lower80, \.upper80))\" fill=\"#3b82f6\" opacity=\"0.35\"><title>80 % interval</title></path>\n"
        svg += "<path d=\"\(path(history, \.value))\" fill=\"none\" stroke=\"#374151\" stroke-width=\"1\"><title>history</title></path>\n"
        svg += "<path d=\"\(path(forecast, \.value))\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"1.5\"><title>forecast</title></path>\n"
        for (value, colour, label) in [(capacityNow, "#dc2626", "capacity today"), (capacityNeeded, "#16a34a", "capacity planned")] {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" stroke=\"\(colour)\" stroke-dasharray=\"6 4\"/>"
            svg += "<text x=\"\(f(width - right - 4))\" y=\"\(f(y(value) - 4))\" text-anchor=\"end\" fill=\"\(colour)\">\(label) \(formatQPS(value)) QPS</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    public static func formatQPS(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1fM", v / 1e6) }
        if v >= 1e4 { return String(format: "%.0fk", v / 1e3) }
        if v >= 1e3 { return String(format: "%.1fk", v / 1e3) }
        return String(format: "%.0f", v)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
