import Foundation
import Testing
@testable import SwitchyardCore

/// Weighted quantiles, and calibration folds that weigh recent errors more.
struct FoldCalibrationTests {
    static let horizon = IntervalCalibrationTests.horizon

    @Test func equalWeightsGiveTheUnweightedQuantiles() {
        let values = (0..<37).map { Double(($0 * 17) % 37) / 7 }
        let sorted = values.sorted()
        let weighted = WeightedQuantile(values, weights: Array(repeating: 2.5, count: values.count))
        for level in [0, 0.025, 0.1, 0.5, 0.9, 0.975, 1] {
            #expect(abs(weighted.value(at: level) - IntervalCalibration.quantile(sorted, level)) < 1e-12, "level \(level)")
        }
        #expect(WeightedQuantile.normalized([3, 3, 3], count: 3) == nil)
        #expect(WeightedQuantile.normalized([1, 0.5], count: 2) == [4.0 / 3, 2.0 / 3])
    }

    @Test func heavierValuesPullTheQuantileTowardsThem() {
        let values = (1...10).map(Double.init)
        let plain = WeightedQuantile(values, weights: nil).value(at: 0.5)
        let high = WeightedQuantile(values, weights: values.map { $0 > 5 ? 4 : 1 }).value(at: 0.5)
        #expect(abs(plain - 5.5) < 1e-12)
        #expect(high > 6.5, "\(high)")
    }

    /// Three folds of errors, the most recent (fold 0) of spread 0.1, the two older of 0.4.
    static func folds() -> [[(lead: Int64, error: Double)]] {
        let quiet = IntervalCalibrationTests.errors(count: 1_000) { _ in 0.1 }
        let loud = IntervalCalibrationTests.errors(count: 1_000) { _ in 0.4 }
        return [quiet, loud, loud]
    }

    @Test func aLowRecencyCalibratesOnTheLatestFold() throws {
        let folds = Self.folds()
        let alike = FoldCalibration(folds: 3, horizon: Self.horizon, settings: .init()) { k, _ in folds[k] }
        let recent = FoldCalibration(folds: 3, horizon: Self.horizon, settings: .init(recency: 0.2)) { k, _ in folds[k] }
        let a = try #require(alike.calibration), r = try #require(recent.calibration)
        #expect(r.quantiles[3][2] < 0.6 * a.quantiles[3][2], "\(r.quantiles[3][2]) vs \(a.quantiles[3][2])")
        #expect(alike.recency == 1 && recent.recency == 0.2)
    }

    @Test func eachSeriesChoosesTheRecencyWhoseLeftOutFoldsAreCoveredClosestToEighty() throws {
        let folds = Self.folds()
        let candidates = [1.0, 0.5, 0.2]
        let chosen = FoldCalibration(folds: 3, horizon: Self.horizon, settings: .init(recencies: candidates)) { k, _ in folds[k] }
        let gaps = candidates.map { r in
            abs((FoldCalibration.leaveOneOut(folds: 3, horizon: Self.horizon, settings: .init(), recency: r) { k, _ in folds[k] } ?? 0) - 80)
        }
        let best = candidates[gaps.indices.min { gaps[$0] < gaps[$1] }!]
        #expect(chosen.recency == best)
        #expect(abs((chosen.coverage80 ?? 0) - 80) <= gaps.min()! + 1e-9)
    }
}
