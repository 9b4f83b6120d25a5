import Foundation
import Testing
@testable import SwitchyardCore

/// The forecaster's choices on its own calibration folds.
struct ForecasterTests {
    static let generator = SyntheticHistory(seed: 11, years: 1, step: 3_600)
    static let series = generator.generate()

    @Test func calibratedIntervalsReportTheirExpectedCoverage() throws {
        let forecaster = try Forecaster.fit(Self.series)
        #expect(forecaster.folds.count == 3)
        let coverage = try #require(forecaster.foldCoverage80)
        #expect(coverage > 60 && coverage < 95, "coverage \(coverage)")
        let calibration = try #require(forecaster.calibration)
        #expect(calibration.quantiles.count == IntervalCalibration.buckets)
        // Errors do not shrink with the lead time.
        for k in 1..<calibration.quantiles.count { #expect(calibration.quantiles[k][2] >= calibration.quantiles[k - 1][2]) }
    }

    @Test func seasonalNaiveWinsWhereTheSeriesIsOnlyItsLastWeek() throws {
        // A random weekly pattern repeated exactly, plus a level that jumps: last week is the best forecast.
        var times: [Int64] = [], values: [Double] = []
        var rng = SystemRandomNumberGenerator()
        let week = (0..<168).map { _ in Double.random(in: 50...150, using: &rng) }
        for h in 0..<(10 * 168) {
            times.append(Int64(h) * 3_600)
            values.append(week[h % 168] * (h < 5 * 168 ? 1 : 3))
        }
        let forecaster = try Forecaster.fit(QPSSeries(times: times, values: values))
        #expect(forecaster.blendWeight >= 0.75, "weight \(forecaster.blendWeight)")
        #expect(forecaster.summary.contains("seasonal naive"))
        let next = forecaster.forecast(at: [times.last! + 3_600])[0]
        let expected = week[0] * 3  // the hour after the history is hour 0 of a week
        #expect(abs(next.value - expected) / expected < 0.35, "\(next.value) vs \(expected)")
    }

    @Test func zerosAreCoveredByALowerBoundOfZero() throws {
        // Low counts with many zeros: a lower bound at the scale's floor is 0, not half a request.
        var times: [Int64] = [], values: [Double] = []
        var rng = SystemRandomNumberGenerator()
        for h in 0..<(6 * 7 * 24) {
            times.append(Int64(h) * 3_600)
            values.append(Double(Int.random(in: 0...2, using: &rng)))
        }
        let forecaster = try Forecaster.fit(QPSSeries(times: times, values: values))
        let points = forecaster.forecast(at: (1...48).map { times.last! + Int64($0) * 3_600 })
        #expect(points.contains { $0.lower95 == 0 })
    }
}

/// The blends the calibration folds choose from, and how one is chosen.
struct ForecasterBlendTests {
    typealias Blend = Forecaster.Blend

    @Test func withinTheToleranceTheBlendWithLessPartnerWeightWins() {
        let blends = [Blend(naive: 0, median: 0), Blend(naive: 0.5, median: 0), Blend(naive: 1, median: 0)]
        let scores = [20.3, 20.5, 20.0]
        #expect(Forecaster.choose(blends, scores: scores, tolerance: 0) == 2)
        #expect(Forecaster.choose(blends, scores: scores, tolerance: 0.02) == 0)
        #expect(Forecaster.choose(blends, scores: [25, 20.3, 20], tolerance: 0.02) == 1)
        #expect(Forecaster.choose(blends, scores: [.nan, .nan, .nan], tolerance: 0) == nil)
    }

    @Test func theCandidatesPairNaiveAndMedianWeightsThatSumToOneAtMost() {
        var options = ForecastOptions()
        options.blendWeights = [0, 0.5, 1]
        options.medianBlendWeights = [0, 0.5]
        let blends = Forecaster.candidates(options)
        #expect(blends.count == 5)
        #expect(blends.allSatisfy { $0.partners <= 1 })
        #expect(Blend(naive: 0.25, median: 0.5).value(model: 1, naive: 2, median: nil) == 0.25 * 1 + 0.25 * 2 + 0.5 * 1)
    }

    @Test func theSeasonalMedianIgnoresOneOddWeek() {
        let week = SeasonalNaive.week
        let times = (0..<(5 * 7 * 24)).map { Int64($0) * 3_600 }
        // Every week the same 100, except a spike of 5,000 across the last week before the origin.
        let origin = times.last! + 3_600
        let values = times.map { $0 >= origin - week ? 5_000.0 : 100.0 }
        let history = QPSSeries(times: times, values: values)
        #expect(SeasonalNaive.forecast(history: history, origin: origin, at: origin) == 5_000)
        #expect(SeasonalNaive.median(history: history, origin: origin, at: origin) == 100)
        #expect(SeasonalNaive.median(history: history, origin: origin, at: origin + 9 * week + 3_600) == 100)
    }

    @Test func aForecasterThatChoseTheMedianUsesItForTheForecast() throws {
        // A weekly pattern with one spike week at the end: the median of the last four weeks is the forecast.
        var times: [Int64] = [], values: [Double] = []
        var rng = SystemRandomNumberGenerator()
        let shape = (0..<168).map { _ in Double.random(in: 50...150, using: &rng) }
        for h in 0..<(10 * 168) {
            times.append(Int64(h) * 3_600)
            values.append(shape[h % 168])
        }
        var options = ForecastOptions()
        options.blendWeights = [0]
        options.medianBlendWeights = [1]
        options.blendTolerance = 0
        let forecaster = try Forecaster.fit(QPSSeries(times: times, values: values), options: options)
        // The pattern repeats exactly: the median is exact, the model is not, so the folds choose the median.
        #expect(forecaster.medianWeight == 1, "\(forecaster.summary)")
        #expect(forecaster.summary.contains("median of the last four weeks"))
        let next = forecaster.forecast(at: [times.last! + 3_600])[0]
        #expect(abs(next.value - shape[0]) < 1e-6 * shape[0], "\(next.value) vs \(shape[0])")
    }
}
