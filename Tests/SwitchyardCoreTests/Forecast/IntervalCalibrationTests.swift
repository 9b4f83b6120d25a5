import Foundation
import Testing
@testable import SwitchyardCore

/// How fold errors become interval widths: by lead-time slice, shrunk towards the pooled errors,
/// kept from narrowing, and widened past the fold horizon only as much as the slices grow.
struct IntervalCalibrationTests {
    static let horizon: Int64 = 4 * 86_400

    /// Errors of spread `scale(lead)` at every hour of the horizon, from a fixed generator.
    static func errors(count: Int = 4_000, scale: (Double) -> Double) -> [(lead: Int64, error: Double)] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        return (0..<count).map { i in
            let lead = Int64(i) * horizon / Int64(count)
            let gaussian = (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform())
            return (lead, gaussian * scale(Double(lead) / Double(horizon)))
        }
    }

    @Test func errorsThatDoNotGrowWithTheLeadAreNotWidenedPastTheHorizon() throws {
        let flat = try #require(IntervalCalibration(errors: Self.errors { _ in 0.2 }, horizonSeconds: Self.horizon))
        #expect(flat.growthExponent < 0.1, "exponent \(flat.growthExponent)")
        let inside = flat.bounds(lead: Self.horizon - 1), far = flat.bounds(lead: 4 * Self.horizon)
        #expect(far[2] / inside[2] < pow(4, 0.1), "\(far[2]) vs \(inside[2])")
        // The old rule (√ of the lead) is still there as a fixed exponent.
        let root = try #require(IntervalCalibration(errors: Self.errors { _ in 0.2 }, horizonSeconds: Self.horizon,
                                                    settings: .init(growthExponent: 0.5)))
        #expect(abs(root.bounds(lead: 4 * Self.horizon)[2] / root.bounds(lead: Self.horizon - 1)[2] - 2) < 1e-9)
    }

    @Test func errorsThatGrowLikeARandomWalkKeepGrowingPastTheHorizon() throws {
        let errors = Self.errors { 0.2 * max($0, 0.01).squareRoot() }
        let walk = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(shrinkage: 50)))
        #expect(walk.growthExponent > 0.3, "exponent \(walk.growthExponent)")
        #expect(walk.bounds(lead: 4 * Self.horizon)[2] > 1.4 * walk.bounds(lead: Self.horizon - 1)[2])
        // The default pseudo-count (500 against 1,000 errors a slice) flattens the slices a third of the way to the pool.
        let shrunk = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon))
        #expect(shrunk.growthExponent > 0.2 && shrunk.growthExponent <= walk.growthExponent, "exponent \(shrunk.growthExponent)")
    }

    @Test func theGrowthIsEstimatedBeforeTheRunningMaximum() throws {
        // Flat errors but for a wider second slice: the running maximum makes the slices a staircase
        // that never falls again, whose slope is not a growth of the errors.
        let errors = Self.errors { $0 >= 0.25 && $0 < 0.5 ? 0.3 : 0.2 }
        let before = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(shrinkage: 0)))
        let after = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon,
                                                     settings: .init(shrinkage: 0, growthBeforeMonotone: false)))
        #expect(before.growthExponent < 0.05, "exponent \(before.growthExponent)")
        #expect(after.growthExponent > 0.15, "exponent \(after.growthExponent)")
    }

    @Test func aWideEarlySliceIsAveragedNotCarriedForward() throws {
        // The first slice twice as wide as the three after it.
        let errors = Self.errors { $0 < 0.25 ? 0.4 : 0.2 }
        let isotonic = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(monotone: .isotonic)))
        let runningMax = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(monotone: .runningMax)))
        for k in 1..<IntervalCalibration.buckets {
            #expect(isotonic.quantiles[k][2] >= isotonic.quantiles[k - 1][2] - 1e-12)
            #expect(isotonic.quantiles[k][1] <= isotonic.quantiles[k - 1][1] + 1e-12)
        }
        // Running max keeps every slice at the first one's width; the isotonic fit pools them all (the mean).
        #expect(isotonic.quantiles[3][2] < runningMax.quantiles[3][2] * 0.8, "\(isotonic.quantiles[3][2]) vs \(runningMax.quantiles[3][2])")
    }

    @Test func isotonicRegressionPoolsAdjacentViolators() {
        #expect(IntervalCalibration.isotonic([1, 3, 2, 4], weights: [1, 1, 1, 1]) == [1, 2.5, 2.5, 4])
        #expect(IntervalCalibration.isotonic([3, 1, 1, 1], weights: [1, 1, 1, 1]) == [1.5, 1.5, 1.5, 1.5])
        #expect(IntervalCalibration.isotonic([1, 2, 3], weights: [1, 1, 1]) == [1, 2, 3])
    }

    @Test func aSliceOfFewErrorsIsShrunkTowardsThePooledQuantile() throws {
        // Three slices of many errors of spread 0.2, one slice of 8 errors of spread 1.
        var errors = Self.errors { _ in 0.2 }.filter { $0.lead < 3 * Self.horizon / 4 }
        errors += (0..<8).map { (3 * Self.horizon / 4 + Int64($0), $0 % 2 == 0 ? 1.0 : -1.0) }
        let alone = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(monotone: .isotonic, shrinkage: 0)))
        let shrunk = try #require(IntervalCalibration(errors: errors, horizonSeconds: Self.horizon, settings: .init(monotone: .isotonic, shrinkage: 20)))
        #expect(abs(alone.quantiles[3][2] - 1) < 1e-9)
        #expect(shrunk.quantiles[3][2] < 0.6, "\(shrunk.quantiles[3][2])")
        #expect(shrunk.quantiles[3][2] >= shrunk.quantiles[2][2])
    }
}

/// Quickselect gives what a sort gives.
struct OrderStatisticTests {
    @Test(arguments: [1, 2, 7, 100, 1_001])
    func selectedValuesAreTheSortedOnes(count: Int) {
        var state: UInt64 = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        let values = (0..<count).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40 % 97)  // many ties
        }
        let sorted = values.sorted()
        let ks = Array(Set([0, count / 10, count / 2, (9 * count) / 10, count - 1])).sorted()
        var copy = values
        #expect(OrderStatistic.select(&copy, ks) == ks.map { sorted[$0] })
        var again = values
        #expect(OrderStatistic.select(&again, count / 2, in: 0..<count) == sorted[count / 2])
    }
}
