import Foundation
import Testing
@testable import SwitchyardCore

/// `yard forecast --points` and `--horizon`: what a planner takes away to check the forecast.
struct ForecastExportTests {
    static let generator = SyntheticHistory(seed: 5, years: 2, step: 3 * 3_600)
    static let series = generator.generate()

    func request(target: TargetEvent?, horizon: Int64? = nil) -> CapacityForecast.Request {
        CapacityForecast.Request(
            name: "export", series: Self.series, source: "synthetic", events: Self.generator.events, target: target, horizonSeconds: horizon,
            perInstanceQPS: 50, zones: ["a", "b"], replicasNow: [10, 10], backtestFolds: 0)
    }

    @Test func exportedPointsHoldTheReportsPeakAndBounds() throws {
        let day = LocalDateTime(year: 2026, month: 11, day: 11)
        let outcome = try CapacityForecast.compute(request(target: TargetEvent(name: "singles-day-2026", start: day, end: day, like: ["singles-day"])),
                                                   exportPoints: true)
        let report = outcome.report
        let history = outcome.points.filter { $0.actual != nil }
        #expect(history.count == Self.series.count)
        let window = outcome.points.filter { $0.actual == nil && $0.timestamp >= report.target.windowStart && $0.timestamp < report.target.windowEnd }
        let peak = try #require(window.max { $0.yhat < $1.yhat })
        #expect(peak.timestamp == report.peak.time)
        #expect(abs(peak.yhat - report.peak.value) < 1e-9 && abs(peak.upper95 - report.peak.upper95) < 1e-9 && abs(peak.lower80 - report.peak.lower80) < 1e-9)
        #expect(abs((window.map(\.upper95).max() ?? 0) - report.peakUpper95) < 1e-9)
        #expect(peak.eventLift > 3, "the event's lift at its peak: \(peak.eventLift)")
        for p in outcome.points.prefix(50) + outcome.points.suffix(50) {
            #expect(p.lower95 <= p.lower80 && p.lower80 <= p.yhat && p.yhat <= p.upper80 && p.upper80 <= p.upper95)
            #expect(p.trend > 0 && p.daily > 0 && p.weekly > 0 && p.yearly > 0)
        }
        let csv = ExportedPoint.csv(outcome.points)
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "timestamp,actual,yhat,lower80,upper80,lower95,upper95,trend,daily,weekly,yearly,eventLift")
        #expect(lines.count == outcome.points.count + 1)
        #expect(lines[1].hasPrefix(CivilTime.iso8601(seconds: Self.series.times[0]) + ","))
        #expect(lines[1].contains("+00:00"))
        let json = try JSONSerialization.jsonObject(with: ExportedPoint.json(outcome.points)) as? [[String: Any]]
        #expect(json?.count == outcome.points.count)
        #expect((json?.first?["timestamp"] as? String)?.hasSuffix("+00:00") == true)
    }

    @Test func aHorizonForecastsWithoutAnEvent() throws {
        let last = try #require(Self.series.last)
        let outcome = try CapacityForecast.compute(request(target: nil, horizon: 14 * 86_400), exportPoints: true)
        let report = outcome.report
        #expect(report.target.basis.hasPrefix("no event"))
        let future = outcome.points.filter { $0.actual == nil }
        #expect(future.first.map { $0.timestamp > last } == true)
        #expect(future.last.map { $0.timestamp <= last + 14 * 86_400 } == true)
        #expect(future.allSatisfy { abs($0.eventLift - 1) < 1e-9 })
        #expect(report.peak.time > last && report.peak.time <= last + 14 * 86_400)
        #expect(report.ordinaryPeak.value == report.peak.value)
    }

    @Test func theReportsJSONWritesEveryTimeInISO8601() throws {
        let report = try CapacityForecast.run(request(target: nil, horizon: 7 * 86_400))
        let text = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for key in ["first", "last", "windowStart", "windowEnd", "time"] {
            #expect(text.contains("\"\(key)\":\"20"), "\(key) is not ISO 8601")
        }
        let decoded = try JSONDecoder().decode(ForecastReport.self, from: Data(text.utf8))
        #expect(decoded.peak.time == report.peak.time && decoded.history.first == report.history.first)
    }
    /// Three days of history: the backtest's fold has no week before it for seasonal naive, whose figures are
    /// undefined; the JSON says null (it cannot hold NaN) and reads back.
    @Test func aBacktestFigureThatIsUndefinedIsNullInTheJSON() throws {
        let short = QPSSeries(times: (0..<(3 * 288)).map { 1_780_000_200 + Int64($0) * 300 },
                              values: (0..<(3 * 288)).map { 40 + 25 * sin(2 * Double.pi * Double($0 % 288) / 288) })
        var request = request(target: nil, horizon: 86_400)
        request.series = short
        request.events = []
        request.backtestFolds = 3
        let report = try CapacityForecast.run(request)
        let naive = try #require(report.backtest.folds.first?.seasonalNaive)
        #expect(naive.points == 0 && naive.smape.isNaN)
        let text = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(text.contains(#""smape":null"#), "\(text.prefix(400))")
        let decoded = try JSONDecoder().decode(ForecastReport.self, from: Data(text.utf8))
        #expect(decoded.backtest.folds.first?.seasonalNaive.smape.isNaN == true)
        #expect(decoded.backtest.folds.first?.model.smape == report.backtest.folds.first?.model.smape)
    }

    /// Two weeks of zeros (a service nobody calls yet): zeros forecast, not the log scale's floor, and bounds of 0.
    @Test func aHistoryOfZerosIsForecastAsZeros() throws {
        var request = request(target: nil, horizon: 86_400)
        request.series = QPSSeries(times: (0..<(14 * 288)).map { 1_780_000_200 + Int64($0) * 300 }, values: Array(repeating: 0, count: 14 * 288))
        request.events = []
        request.backtestFolds = 3
        let outcome = try CapacityForecast.compute(request, exportPoints: true)
        let future = outcome.points.filter { $0.actual == nil }
        #expect(!future.isEmpty && future.allSatisfy { $0.yhat == 0 && $0.upper95 == 0 && $0.lower95 == 0 }, "\(future.prefix(3))")
        #expect(outcome.report.backtest.model?.smape == 0)
        #expect(outcome.report.capacity.lines.allSatisfy { $0.needed == 1 })
    }

    @Test func aReportStoredBeforeTheMedianWeightStillDecodes() throws {
        let report = try CapacityForecast.run(request(target: nil, horizon: 7 * 86_400))
        #expect(report.model.medianWeight != nil)
        // The JSON of a report written before the seasonal median existed: no medianWeight anywhere.
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "medianWeight" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report))
        let old = try JSONSerialization.data(withJSONObject: strip(json))
        #expect(!String(decoding: old, as: UTF8.self).contains("medianWeight"))
        let decoded = try JSONDecoder().decode(ForecastReport.self, from: old)
        #expect(decoded.model.medianWeight == nil && decoded.peak.time == report.peak.time)
    }
}
