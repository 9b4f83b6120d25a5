import Foundation

extension DrillChart {
    /// A panel's horizontal grid: a pale line across the plot and a label left of it at each of `values`.
    static func gridLines(_ values: [Double], y: (Double) -> Double, left: Double, right: Double, width: Double, label: (Double) -> String) -> String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = ""
        for value in values {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" stroke=\"#e5e7eb\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(label(value))</text>\n"
        }
        return svg
    }
}
