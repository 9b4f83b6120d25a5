import Foundation

extension ForecastReport {
    /// A self-contained page: the table, the chart (inline SVG), no scripts, no external files.
    public var html: String {
        let title = ReportChart.escape("\(name): \(target.name)")
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>body{font-family:sans-serif;margin:2em;color:#111}pre{background:#f9fafb;padding:1em;border:1px solid #e5e7eb}</style></head>
        <body><h1>\(title)</h1>
        \(ReportChart.svg(self))
        <pre>\(ReportChart.escape(text))</pre>
        </body></html>

        """
    }
}
