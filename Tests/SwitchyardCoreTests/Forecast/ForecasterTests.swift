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
