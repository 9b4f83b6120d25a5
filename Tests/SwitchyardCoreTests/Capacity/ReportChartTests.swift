import Foundation
import Testing
@testable import SwitchyardCore

/// The planner's chart: the full view beside the event window zoomed, past events marked, the fit over
/// the history, capacity labels that do not overlap, and a warning when today cannot carry an ordinary day.
struct ReportChartTests {
    static let generator = SyntheticHistory(seed: 5, years: 2, step: 3 * 3_600)

    static func report(replicasNow: Int) throws -> ForecastReport {
        try CapacityForecast.run(CapacityForecast.Request(
            name: "singles-day", series: generator.generate(), source: "synthetic", events: generator.events,
            target: TargetEvent(name: "singles-day-2026", start: LocalDateTime(year: 2026, month: 11, day: 11),
                                end: LocalDateTime(year: 2026, month: 11, day: 11), like: ["singles-day"]),
            perInstanceQPS: 50, zones: ["a", "b", "c"], replicasNow: Array(repeating: replicasNow, count: 3), backtestFolds: 0))
    }

    @Test func theChartShowsBothViewsThePastEventsAndTheFit() throws {
        let report = try Self.report(replicasNow: 100)
        let svg = ReportChart.svg(report)
        #expect(svg.contains(">history and forecast</text>"))
        #expect(svg.contains(">singles-day-2026, zoomed</text>"))
        #expect(!report.chartEvents.isEmpty)
        for event in report.chartEvents { #expect(svg.contains("<title>past event \(event.name)</title>"), "\(event.name)") }
        #expect(svg.contains("<title>the model's fit over the history</title>"))
        #expect(report.chartFit.count == report.chartHistory.count)
        // The fit follows the history: their medians are close.
        let fit = report.chartFit.map(\.value).sorted(), actual = report.chartHistory.map(\.value).sorted()
        let ratio = fit[fit.count / 2] / actual[actual.count / 2]
        #expect(ratio > 0.8 && ratio < 1.25, "median fit / median history \(ratio)")
        // The whole history is there, past events included.
        #expect(report.chartHistory.first?.time == report.history.first || report.chartHistory.count == ReportChart.maxPoints)
        #expect(report.warnings.isEmpty)
        #expect(!svg.contains("⚠"))
    }

    @Test func aFleetShortOfAnOrdinaryDayIsWarnedOf() throws {
        let report = try Self.report(replicasNow: 1)
        let warning = try #require(report.warnings.first)
        #expect(warning.hasPrefix("today's fleet cannot carry an ordinary day: a has 1, needs "))
        #expect(ReportChart.svg(report).contains("⚠ \(warning)"))
        #expect(report.text.contains("WARNING      \(warning)"))
    }

    @Test func labelsAreSpreadApartWithinTheirBand() {
        let placed = ReportChart.spread([100, 102, 104, 300], gap: 15, low: 50, high: 400)
        #expect(placed == [100, 115, 130, 300])
        // Pushed past the bottom: the stack moves up, keeping its gaps.
        let low = ReportChart.spread([395, 398, 399], gap: 15, low: 50, high: 400)
        #expect(low == [370, 385, 400])
        // Order kept whatever the input's order.
        #expect(ReportChart.spread([200, 100], gap: 15, low: 0, high: 500) == [200, 100])
        // Every pair at least the gap apart in a crowded case.
        let crowded = ReportChart.spread(Array(repeating: 120, count: 6), gap: 15, low: 100, high: 160)
        let sorted = crowded.sorted()
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 >= 15 - 1e-9 })
    }
}
