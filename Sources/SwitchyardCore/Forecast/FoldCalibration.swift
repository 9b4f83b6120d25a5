import Foundation

/// The intervals from the calibration folds' errors (fold 0 the most recent), and the coverage they
/// can be expected to hold: each fold scored by the intervals calibrated on the others.
///
/// With `recency` r < 1 a fold's errors weigh r^(d − 1), d its distance in folds from what they are
/// used for: the final intervals (after fold 0) weigh fold k by r^k, the check on fold k weighs fold
/// j by r^(|j − k| − 1). With `recencies`, each candidate's leave-one-fold-out coverage is computed
/// and the one closest to 80 % is kept (the first of equals).
struct FoldCalibration {
    typealias Errors = [(lead: Int64, error: Double)]

    var calibration: IntervalCalibration?
    var coverage80: Double?
    var recency: Double

    /// `carried(k, j)`: fold k's errors as used for fold j (nil: for the end of the history), e.g.
    /// rescaled to its local spread.
    init(folds: Int, horizon: Int64, settings: IntervalCalibration.Settings, carried: (Int, Int?) -> Errors) {
        let candidates = settings.recencies.isEmpty ? [settings.recency] : settings.recencies
        var best: (recency: Double, coverage: Double?)?
        for r in candidates {
            let c = Self.leaveOneOut(folds: folds, horizon: horizon, settings: settings, recency: r, carried: carried)
            guard let current = best else { best = (r, c); continue }
            if let c, abs(c - 80) < abs((current.coverage ?? .infinity) - 80) - 1e-9 { best = (r, c) }
        }
        recency = best?.recency ?? settings.recency
        coverage80 = best?.coverage
        var errors: Errors = [], weights: [Double] = []
        let all = settings.foldSpread.apply((0..<folds).map { carried($0, nil) })
        for (k, e) in all.enumerated() {
            errors += e
            weights += Array(repeating: pow(recency, Double(k)), count: e.count)
        }
        calibration = Self.calibrate(all, errors: errors, weights: recency == 1 ? nil : weights, horizon: horizon, settings: settings)
    }

    static func calibrate(_ folds: [Errors], errors: Errors, weights: [Double]?, horizon: Int64,
                          settings: IntervalCalibration.Settings) -> IntervalCalibration? {
        guard let c = IntervalCalibration(errors: errors, weights: weights, horizonSeconds: horizon, settings: settings) else { return nil }
        return settings.typicalWindow ? c.scaled(by: TypicalWindow.scale(c, folds: folds)) : c
    }

    static func leaveOneOut(folds: Int, horizon: Int64, settings: IntervalCalibration.Settings, recency: Double,
                            carried: (Int, Int?) -> Errors) -> Double? {
        guard folds > 1 else { return nil }
        var inside = 0.0, total = 0.0
        for k in 0..<folds {
            var errors: Errors = [], weights: [Double] = []
            let others = (0..<folds).filter { $0 != k }
            let used = settings.foldSpread.apply(others.map { carried($0, k) })
            for (j, e) in zip(others, used) {
                errors += e
                weights += Array(repeating: pow(recency, Double(abs(j - k) - 1)), count: e.count)
            }
            let held = carried(k, k)
            guard let c = calibrate(used, errors: errors, weights: recency == 1 ? nil : weights, horizon: horizon, settings: settings),
                  let covered = c.coverage80(held) else { continue }
            inside += covered * Double(held.count)
            total += Double(held.count)
        }
        return total > 0 ? inside / total : nil
    }
}
