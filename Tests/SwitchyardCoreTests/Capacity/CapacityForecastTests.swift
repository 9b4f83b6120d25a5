import Foundation
import Testing
@testable import SwitchyardCore

struct CapacityForecastTests {
    static let generator = SyntheticHistory(seed: 5, years: 2, step: 3 * 3_600)
    static let series = generator.generate()

    func request(series: QPSSeries = series, target: LocalDateTime = LocalDateTime(year: 2026, month: 11, day: 11),
                 now: Int64? = nil, folds: Int = 1) -> CapacityForecast.Request {
        CapacityForecast.Request(
            name: "singles-day", series: series, source: "synthetic", events: Self.generator.events,
            target: TargetEvent(name: "singles-day-2026", start: target, end: target, like: ["singles-day"]),
            perInstanceQPS: 50, zones: ["a", "b", "c"], replicasNow: [20, 20, 20], backtestFolds: folds, now: now)
    }

    @Test func aWholeForecastPlansReplicasForThePeak() throws {
        let report = try CapacityForecast.run(request())
        // The peak falls on the event day, about 5x an ordinary day's peak.
        #expect(CivilTime.formatDate(seconds: report.peak.time) == "2026-11-11")
        let ratio = report.peak.value / report.ordinaryPeak.value
        #expect(ratio > 4 && ratio < 6.5, "ratio \(ratio)")
        #expect(report.peak.lower95 < report.peak.lower80 && report.peak.lower80 < report.peak.value)
        #expect(report.peak.value < report.peak.upper80 && report.peak.upper80 < report.peak.upper95)
        #expect(report.capacity.lines.count == 3)
        #expect(report.capacity.lines.allSatisfy { $0.needed > $0.ordinary })
        #expect(report.backtest.folds.count == 1)
        let text = report.text
        #expect(text.contains("peak") && text.contains("2026-11-11") && text.contains("backtest"))
        let html = report.html
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && !html.contains("<script"))
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(ForecastReport.self, from: json)
        #expect(decoded.capacity.totalNeeded == report.capacity.totalNeeded)
    }

    @Test func aHistoryInTheFutureIsRejected() throws {
        let first = try #require(Self.series.first)
        #expect {
            try CapacityForecast.run(request(now: first - 86_400))
        } throws: { error in
            "\(error)".contains("after now")
        }
    }

    @Test func aTargetInsideTheHistoryIsRejected() {
        #expect {
            try CapacityForecast.run(request(target: LocalDateTime(year: 2025, month: 11, day: 11)))
        } throws: { error in
            "\(error)".contains("not after the end of the history")
        }
    }
}
