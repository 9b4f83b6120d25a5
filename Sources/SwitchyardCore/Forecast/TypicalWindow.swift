/// The pooled errors of the calibration folds give an interval that covers 80 % of all the folds'
/// points together; when the folds differ (one with a level shift or bursts, the others calm) that
/// is a mix of one fold covered badly and the others covered almost entirely. A forecast is judged
/// on one window like a fold, so with `IntervalCalibration.Settings.typicalWindow` the interval is
/// scaled (about the forecast) until the fold of median coverage is covered 80 %: the typical
/// window's coverage, not the average over windows. With folds alike the factor is about 1.
enum TypicalWindow {
    typealias Errors = [(lead: Int64, error: Double)]

    /// The factor (within ¼ ... 4) of the smallest interval whose median fold coverage is 80 % or more.
    static func scale(_ calibration: IntervalCalibration, folds: [Errors]) -> Double {
        let folds = folds.filter { !$0.isEmpty }
        guard folds.count > 1 else { return 1 }
        func median(_ c: Double) -> Double {
            let scaled = calibration.scaled(by: c)
            let coverages = folds.compactMap { scaled.coverage80($0) }.sorted()
            let n = coverages.count
            return n % 2 == 1 ? coverages[n / 2] : (coverages[n / 2 - 1] + coverages[n / 2]) / 2
        }
        var lo = 0.25, hi = 4.0
        guard median(hi) >= 80 else { return hi }
        guard median(lo) < 80 else { return lo }
        for _ in 0..<30 {
            let mid = (lo * hi).squareRoot()
            if median(mid) >= 80 { hi = mid } else { lo = mid }
        }
        return hi
    }
}

extension IntervalCalibration {
    /// The same intervals with every offset multiplied by `factor`.
    func scaled(by factor: Double) -> IntervalCalibration {
        var copy = self
        copy.quantiles = quantiles.map { $0.map { $0 * factor } }
        return copy
    }
}
