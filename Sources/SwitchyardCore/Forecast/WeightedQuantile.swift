/// Quantiles of values that do not all count alike. The i-th smallest value sits at the position
/// (S_i − w_i/2 − w_1/2) / (W − w_1/2 − w_n/2) (S_i: the weights up to and including it, W: all of
/// them) and a level between two positions is interpolated linearly: with equal weights that is
/// (i − 1) / (n − 1), the usual linear interpolation of `IntervalCalibration.quantile`, which is
/// what is used when there are no weights.
struct WeightedQuantile {
    private var sorted: [Double]
    private var positions: [Double]?

    init(_ values: [Double], weights: [Double]?) {
        guard let weights, values.count > 1 else {
            sorted = values.sorted()
            positions = nil
            return
        }
        let order = values.indices.sorted { values[$0] < values[$1] }
        sorted = order.map { values[$0] }
        let w = order.map { weights[$0] }
        let total = w.reduce(0, +) - w[0] / 2 - w[w.count - 1] / 2
        guard total > 0 else { positions = nil; return }
        var cumulative = 0.0
        positions = w.map { wi in
            cumulative += wi
            return (cumulative - wi / 2 - w[0] / 2) / total
        }
    }

    func value(at level: Double) -> Double {
        guard let positions else { return IntervalCalibration.quantile(sorted, level) }
        var hi = positions.firstIndex { $0 >= level } ?? positions.count - 1
        hi = max(1, hi)
        let lo = hi - 1
        let span = positions[hi] - positions[lo]
        let t = span > 0 ? min(1, max(0, (level - positions[lo]) / span)) : 0
        return sorted[lo] + (sorted[hi] - sorted[lo]) * t
    }

    func values(at levels: [Double]) -> [Double] { levels.map(value(at:)) }

    /// The weights scaled to a mean of 1; nil when there are none or all are alike.
    static func normalized(_ weights: [Double]?, count: Int) -> [Double]? {
        guard let weights, weights.count == count, let first = weights.first, weights.contains(where: { $0 != first }) else { return nil }
        let mean = weights.reduce(0, +) / Double(count)
        guard mean > 0 else { return nil }
        return weights.map { $0 / mean }
    }
}
