import Foundation

/// One panel of the forecast chart over a time range: bands, history, the model's fit, the forecast,
/// past events, the target's window, the capacity lines, the peak, and a time axis whose ticks fit the range.
struct ChartPanel {
    let report: ForecastReport
    let capacity: [ReportChart.CapacityLine]
    /// left, top, right, bottom.
    let frame: (Double, Double, Double, Double)
    let yMax: Double
    let range: (Double, Double)
    let title: String
    /// Whether the capacity lines carry their labels here.
    let labels: Bool

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }
    var f: (Double) -> String { Self.f }

    func x(_ t: Int64) -> Double { frame.0 + (Double(t) - range.0) / max(1, range.1 - range.0) * (frame.2 - frame.0) }
    func y(_ v: Double) -> Double { frame.1 + (1 - v / yMax) * (frame.3 - frame.1) }
    func inRange(_ t: Int64) -> Bool { Double(t) >= range.0 && Double(t) <= range.1 }

    func render() -> String {
        let (left, top, right, bottom) = frame
        // Unique per chart and panel: a page may hold several charts.
        let id = "clip-" + String(report.name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }) + "-\(Int(left))"
        var svg = "<defs><clipPath id=\"\(id)\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(bottom - top))\"/></clipPath></defs>\n"
        svg += "<text x=\"\(f(left))\" y=\"\(f(top - 8))\" font-weight=\"bold\" fill=\"#111827\">\(ReportChart.escape(title))</text>\n"
        svg += "<g clip-path=\"url(#\(id))\">\n" + shaded() + curves() + "</g>\n"
        svg += axes() + capacityLines() + peak()
        return svg
    }

    /// The past events and the target's window, behind the curves.
    func shaded() -> String {
        var svg = ""
        let (_, top, _, bottom) = frame
        for event in report.chartEvents where Double(event.end) >= range.0 && Double(event.start) <= range.1 {
            let x0 = x(event.start), w = max(2, x(event.end) - x0)
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(bottom - top))\" fill=\"#e9d5ff\"><title>past event \(ReportChart.escape(event.name))</title></rect>"
            svg += "<text x=\"\(f(x0 + 2))\" y=\"\(f(top + 26))\" fill=\"#7e22ce\" font-size=\"11\">\(ReportChart.escape(event.name))</text>\n"
        }
        let target = report.target
        let windowX = x(target.windowStart), windowW = max(2, x(target.windowEnd) - windowX)
        let eventX = x(target.eventStart), eventW = max(2, x(target.eventEnd) - eventX)
        svg += "<rect x=\"\(f(windowX))\" y=\"\(f(top))\" width=\"\(f(windowW))\" height=\"\(f(bottom - top))\" fill=\"#fef3c7\"><title>\(ReportChart.escape(target.name)) window (with the days before and after)</title></rect>"
        svg += "<rect x=\"\(f(eventX))\" y=\"\(f(top))\" width=\"\(f(eventW))\" height=\"\(f(bottom - top))\" fill=\"#fde68a\"><title>\(ReportChart.escape(target.name))</title></rect>\n"
        return svg
    }

    func curves() -> String {
        let history = report.chartHistory, forecast = report.chartForecast, fit = report.chartFit
        func path(_ points: [ForecastPoint], _ value: (ForecastPoint) -> Double) -> String {
            points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(x($0.element.time))),\(f(y(value($0.element))))" }.joined(separator: " ")
        }
        func band(_ lower: (ForecastPoint) -> Double, _ upper: (ForecastPoint) -> Double) -> String {
            guard !forecast.isEmpty else { return "" }
            let up = forecast.map { "\(f(x($0.time))),\(f(y(upper($0))))" }
            let down = forecast.reversed().map { "\(f(x($0.time))),\(f(y(lower($0))))" }
            return "M" + (up + down).joined(separator: " L") + " Z"
        }
        var svg = "<path d=\"\(band(\.lower95, \.upper95))\" fill=\"#bfdbfe\"><title>95 % interval</title></path>\n"
        svg += "<path d=\"\(band(\.lower80, \.upper80))\" fill=\"#60a5fa\" opacity=\"0.6\"><title>80 % interval</title></path>\n"
        svg += "<path d=\"\(path(history, \.value))\" fill=\"none\" stroke=\"#374151\" stroke-width=\"1\"><title>history (bucket maxima)</title></path>\n"
        if !fit.isEmpty {
            svg += "<path d=\"\(path(fit, \.value))\" fill=\"none\" stroke=\"#9333ea\" stroke-width=\"1\" opacity=\"0.8\"><title>the model's fit over the history</title></path>\n"
        }
        svg += "<path d=\"\(path(forecast, \.value))\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"1.5\"><title>forecast (median)</title></path>\n"
        let historyEnd = report.history.last
        if inRange(historyEnd) {
            let hx = x(historyEnd)
            svg += "<line x1=\"\(f(hx))\" x2=\"\(f(hx))\" y1=\"\(f(frame.1))\" y2=\"\(f(frame.3))\" stroke=\"#6b7280\" stroke-dasharray=\"2 3\"/>"
            svg += "<text x=\"\(f(hx - 4))\" y=\"\(f(frame.1 + 12))\" text-anchor=\"end\" fill=\"#4b5563\">history</text>"
            svg += "<text x=\"\(f(hx + 4))\" y=\"\(f(frame.1 + 12))\" fill=\"#4b5563\">forecast</text>\n"
        }
        return svg
    }

    /// Value ticks, and time ticks spaced for the range: days, weeks, the 1st and 15th, or months.
    func axes() -> String {
        let (left, top, right, bottom) = frame
        var svg = ""
        for k in 0...5 {
            let v = yMax * Double(k) / 5
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#e5e7eb\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(ReportChart.formatQPS(v))</text>\n"
        }
        let days = (range.1 - range.0) / Double(CivilTime.secondsPerDay)
        let width = right - left
        // At most one label per 70 px.
        let slots = max(1, Int(width / 70))
        var day = CivilTime.localDateTime(seconds: Int64(range.0))
        day = LocalDateTime(year: day.year, month: day.month, day: day.day)
        var t = CivilTime.seconds(day)
        var index = 0
        while Double(t) <= range.1 {
            let d = CivilTime.localDateTime(seconds: t)
            let tick: Bool
            if days <= Double(slots) { tick = true }
            else if days <= Double(slots) * 7 { tick = index % Int((days / Double(slots)).rounded(.up)) == 0 }
            else if days <= Double(slots) * 15 { tick = d.day == 1 || d.day == 15 }
            else { tick = d.day == 1 && (days <= Double(slots) * 31 || d.month % 3 == 1) }
            if Double(t) >= range.0, tick {
                svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom + 5))\" stroke=\"#6b7280\"/>"
                // A label that would run past either end is anchored to it.
                let anchor = x(t) > right - 36 ? "end" : x(t) < left + 36 ? "start" : "middle"
                svg += "<text x=\"\(f(x(t)))\" y=\"\(f(bottom + 18))\" text-anchor=\"\(anchor)\">\(CivilTime.formatDate(seconds: t))</text>\n"
            }
            t += CivilTime.secondsPerDay
            index += 1
        }
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom))\" stroke=\"#6b7280\"/>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(bottom))\" stroke=\"#6b7280\"/>\n"
        return svg
    }

    /// The capacity lines; in the labelled panel each label sits just above its line, spread so no two overlap.
    func capacityLines() -> String {
        let (left, top, right, bottom) = frame
        var svg = ""
        for line in capacity {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(y(line.qps)))\" y2=\"\(f(y(line.qps)))\" stroke=\"\(line.colour)\" stroke-width=\"\(line.dashed ? "1.5" : "2")\"\(line.dashed ? " stroke-dasharray=\"7 4\"" : "")><title>\(ReportChart.escape(line.label))</title></line>"
        }
        guard labels else { return svg + "\n" }
        let placed = ReportChart.spread(capacity.map { y($0.qps) - 4 }, gap: 15, low: top + 40, high: bottom - 4)
        for (line, labelY) in zip(capacity, placed) {
            svg += "<text x=\"\(f(left + 6))\" y=\"\(f(labelY))\" fill=\"\(line.colour)\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(ReportChart.escape(line.label))</text>\n"
        }
        return svg
    }

    /// The peak the plan is for, where it falls in the range.
    func peak() -> String {
        let peak = report.peak
        guard inRange(peak.time) else { return "" }
        var svg = "<circle cx=\"\(f(x(peak.time)))\" cy=\"\(f(y(peak.value)))\" r=\"3.5\" fill=\"#1d4ed8\"/>"
        svg += "<line x1=\"\(f(x(peak.time) - 10))\" x2=\"\(f(x(peak.time) + 10))\" y1=\"\(f(y(report.peakUpper95)))\" y2=\"\(f(y(report.peakUpper95)))\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>"
        if !labels {
            let anchorEnd = x(peak.time) > (frame.0 + frame.2) / 2
            svg += "<text x=\"\(f(x(peak.time) + (anchorEnd ? -14 : 14)))\" y=\"\(f(max(frame.1 + 40, y(report.peakUpper95) - 8)))\" text-anchor=\"\(anchorEnd ? "end" : "start")\" fill=\"#1d4ed8\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">peak \(ReportChart.exactQPS(peak.value)) QPS \(CivilTime.format(seconds: peak.time)), 95 % upper \(ReportChart.exactQPS(report.peakUpper95))</text>"
        }
        return svg + "\n"
    }
}
