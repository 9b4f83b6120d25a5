import Foundation

extension ForecastReport {
    /// A self-contained page: the table, the chart (inline SVG), no scripts, no external files.
    public var html: String {
        let title = ReportChart.escape("\(name): \(target.name)")
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>body{font-family:sans-serif;margin:2em;color:#111}pre{background:#f9fafb;padding:1em;border:1px solid #e5e7eb}
        .legend span{margin-right:1.5em}.sw{display:inline-block;width:1em;height:.7em;margin-right:.3em}</style></head>
        <body><h1>\(title)</h1>
        <div class="legend"><span><i class="sw" style="background:#374151"></i>history</span><span><i class="sw" style="background:#1d4ed8"></i>forecast</span>
        <span><i class="sw" style="background:#3b82f6;opacity:.6"></i>80 % interval</span><span><i class="sw" style="background:#93c5fd;opacity:.6"></i>95 % interval</span>
        <span><i class="sw" style="background:#fde68a"></i>event window</span><span><i class="sw" style="background:#dc2626"></i>capacity today</span>
        <span><i class="sw" style="background:#16a34a"></i>capacity planned</span></div>
        \(ReportChart.svg(self))
        <pre>\(ReportChart.escape(text))</pre>
        </body></html>

        """
    }
}
