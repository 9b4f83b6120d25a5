import Foundation

/// A small inline SVG of one gate's measurements in the order taken: the measured value as a line (when the gate
/// measures one), and one dot per measurement coloured by its phase (pass green, fail red, inconclusive grey, error
/// orange), each with a tooltip. A gate without values (an HTTP or SSE check) is a row of dots. Pure string building.
public enum GateSampleChart {
    public struct Point: Sendable, Hashable {
        public var phase: String
        public var value: Double?
        public var message: String

        public init(phase: String, value: Double?, message: String) {
            self.phase = phase
            self.value = value
            self.message = message
        }
    }

    static func colour(_ phase: String) -> String {
        switch phase {
        case "pass": "#15803d"
        case "fail": "#b91c1c"
        case "error": "#ea580c"
        default: "#6b7280"
        }
    }

    public static func svg(_ points: [Point], title: String, width: Double = 320, height: Double = 90) -> String {
        let escape = ReportChart.escape
        let left = 44.0, right = 8.0, top = 10.0, bottom = 18.0
        let values = points.compactMap(\.value)
        // Values all zero (no errors at all) still get a scale: 0 to 1.
        let highest = values.max() ?? 0
        let ceiling = highest > 0 ? ReportChart.niceCeiling(highest * 1.1) : 1
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func x(_ index: Int) -> Double {
            points.count <= 1 ? (left + width - right) / 2 : left + Double(index) / Double(points.count - 1) * (width - left - right)
        }
        func y(_ value: Double?) -> Double {
            guard let value, ceiling > 0 else { return height - bottom }
            return top + (1 - value / ceiling) * (height - top - bottom)
        }
        var svg = "<svg class=\"gate-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"10\" role=\"img\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(height - bottom))\" y2=\"\(f(height - bottom))\" stroke=\"#9ca3af\"/>"
        if !values.isEmpty {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top))\" y2=\"\(f(top))\" stroke=\"#e5e7eb\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(top + 4))\" text-anchor=\"end\">\(escape(label(ceiling)))</text>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(height - bottom + 4))\" text-anchor=\"end\">0</text>"
            var d: [String] = []
            var joined = false
            for (index, point) in points.enumerated() {
                guard let value = point.value else { joined = false; continue }
                d.append((joined ? "L" : "M") + "\(f(x(index))),\(f(y(value)))")
                joined = true
            }
            svg += "<path d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"#1f2937\" stroke-width=\"1.2\"/>"
        }
        for (index, point) in points.enumerated() {
            svg += "<circle class=\"sample \(escape(point.phase))\" cx=\"\(f(x(index)))\" cy=\"\(f(y(point.value)))\" r=\"3\" fill=\"\(colour(point.phase))\">"
            svg += "<title>#\(index + 1) \(escape(point.phase)): \(escape(point.message))</title></circle>"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 4))\">1</text>"
        if points.count > 1 { svg += "<text x=\"\(f(width - right))\" y=\"\(f(height - 4))\" text-anchor=\"end\">\(points.count)</text>" }
        svg += "</svg>"
        return svg
    }

    /// The figure with up to four significant digits (ratios and seconds alike, as the gate measures them).
    static func label(_ value: Double) -> String { String(format: "%.4g", value) }
}
