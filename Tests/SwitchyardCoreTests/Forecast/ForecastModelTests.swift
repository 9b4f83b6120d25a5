import Foundation
import Testing
@testable import SwitchyardCore

struct ForecastModelTests {
    /// Two years every 3 hours: small enough for a debug build, long enough for yearly terms and two of each sale.
    static let generator = SyntheticHistory(seed: 42, years: 2, step: 3 * 3_600)
    static let series = generator.generate()
    static let events = generator.events.map(EventWindow.init)

    @Test func recoversTheGrowthRateAndTheEventMultiplier() throws {
        let model = try ForecastModel.fit(Self.series, events: Self.events)
        let growth = model.annualGrowth
        #expect(abs(growth - Self.generator.annualGrowth) <= 0.05 * Self.generator.annualGrowth, "growth \(growth)")
        let singles = try #require(model.layout.events.firstIndex { $0.name == "singles-day-2025" })
        let multiplier = try #require(model.eventMultiplier(event: singles, offset: 0))
        #expect(abs(multiplier - Self.generator.singlesDayMultiplier) <= 0.10 * Self.generator.singlesDayMultiplier, "multiplier \(multiplier)")
    }

    @Test func intervalsCoverHeldOutDataAtTheirLevel() throws {
        let end = try #require(Self.series.last)
        let cut = end - 60 * 86_400
        let model = try ForecastModel.fit(Self.series.slice(to: cut), events: Self.events)
        let test = Self.series.slice(from: cut)
        let metrics = AccuracyMetrics(actual: test.values, forecast: model.forecast(at: test.times))
        let coverage95 = try #require(metrics.coverage95)
        #expect(coverage95 >= 90 && coverage95 <= 99, "95% coverage \(coverage95)")
        #expect(metrics.mape < 15, "MAPE \(metrics.mape)")
    }

    @Test func intervalsWidenWithTheHorizon() throws {
        let model = try ForecastModel.fit(Self.series, events: Self.events)
        let end = try #require(Self.series.last)
        let points = model.forecast(at: [end + 7 * 86_400, end + 180 * 86_400])
        let near = points[0].upper95 / points[0].lower95, far = points[1].upper95 / points[1].lower95
        #expect(far > near)
    }

    @Test func theTargetEventLearnsFromPastEventsOrAManualMultiplier() throws {
        let model = try ForecastModel.fit(Self.series, events: Self.events)
        let day = LocalDateTime(year: 2026, month: 11, day: 11)
        let learned = TargetEffect.make(for: TargetEvent(name: "singles-day-2026", start: day, end: day, like: ["singles-day"]), model: model)
        #expect(learned.learnedFrom == ["singles-day-2024", "singles-day-2025"])
        #expect(abs(exp(learned.effect(at: CivilTime.seconds(day) + 3_600).log) - 5) < 0.5)
        let manual = TargetEffect.make(for: TargetEvent(name: "new-sale", start: day, end: day, multiplier: 3), model: model)
        let noon = CivilTime.seconds(day) + 12 * 3_600
        let plain = model.forecast(at: [noon])[0].value
        let boosted = model.forecast(at: [noon], target: manual)[0].value
        #expect(abs(boosted / plain - 3) < 1e-9)
    }

    @Test func oneRowIsTooShort() {
        let series = QPSSeries(times: [0], values: [5])
        #expect(throws: HistoryError.self) { try ForecastModel.fit(series) }
    }

    @Test func aConstantSeriesForecastsTheConstantWithANarrowInterval() throws {
        let times = (0..<(30 * 24)).map { Int64($0) * 3_600 }
        let model = try ForecastModel.fit(QPSSeries(times: times, values: times.map { _ in 250 }))
        let point = model.forecast(at: [times.last! + 86_400])[0]
        #expect(abs(point.value - 250) < 1e-6 * 250)
        #expect(point.upper95 - point.lower95 < 1)
    }

    @Test func zerosAreFlooredAndGapsOfWeeksAreFittedAround() throws {
        // Hourly, with three weeks missing in the middle and a few zeros (scrape outages).
        var times: [Int64] = [], values: [Double] = []
        for hour in 0..<(70 * 24) where !(20 * 24..<41 * 24).contains(hour) {
            times.append(Int64(hour) * 3_600)
            let daily = 100 * exp(0.5 * cos(2 * Double.pi * Double(hour % 24) / 24))
            values.append(hour % 500 == 7 ? 0 : daily)
        }
        let series = QPSSeries(times: times, values: values)
        #expect(series.gaps().count == 1)
        let model = try ForecastModel.fit(series)
        #expect(model.floor > 0)
        let next = model.forecast(at: [times.last! + 3_600])[0]
        let expected = 100 * exp(0.5 * cos(2 * Double.pi * Double((times.last! / 3_600 + 1) % 24) / 24))
        #expect(abs(next.value - expected) / expected < 0.05)
    }

    @Test func backtestBeatsSeasonalNaiveOnSyntheticData() throws {
        let backtest = Backtest.run(Self.series, events: Self.events, folds: 2)
        let model = try #require(backtest.model), naive = try #require(backtest.seasonalNaive)
        #expect(backtest.folds.count == 2)
        #expect(model.mape < naive.mape)
        #expect(backtest.horizonSeconds == 7 * 86_400)
    }
}
