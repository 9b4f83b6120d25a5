/// Prediction intervals from a forecaster's own out-of-sample errors: on the backtest folds inside
/// the training history, the errors (on the model's scale, actual − forecast) are grouped by lead
/// time into `buckets` equal slices of the fold horizon, and each slice keeps its 2.5, 10, 90 and
/// 97.5 % quantiles. A slice never gets narrower than the one before it (errors do not shrink
/// with the lead time); beyond the fold horizon the last slice widens as √(lead / horizon).
public struct IntervalCalibration: Sendable, Hashable, Codable {
    public static let levels = [0.025, 0.1, 0.9, 0.975]
    public static let buckets = 4
    /// A slice with fewer errors than this borrows all the folds' errors.
    public static let minimumErrors = 20

    public var horizonSeconds: Int64
    /// Per slice: the four quantiles of `levels`.
    public var quantiles: [[Double]]
    public var errors: Int

    /// nil when there are no errors at all.
    public init?(errors: [(lead: Int64, error: Double)], horizonSeconds: Int64) {
        guard !errors.isEmpty, horizonSeconds > 0 else { return nil }
        self.horizonSeconds = horizonSeconds
        self.errors = errors.count
        let all = errors.map(\.error).sorted()
        var slices = [[Double]](repeating: [], count: Self.buckets)
        for e in errors { slices[Self.bucket(lead: e.lead, horizon: horizonSeconds)].append(e.error) }
        var out: [[Double]] = []
        for var slice in slices {
            slice.sort()
            let source = slice.count >= Self.minimumErrors ? slice : all
            var q = Self.levels.map { Self.quantile(source, $0) }
            if let previous = out.last {
                q[0] = min(q[0], previous[0]); q[1] = min(q[1], previous[1])
                q[2] = max(q[2], previous[2]); q[3] = max(q[3], previous[3])
            }
            out.append(q)
        }
        quantiles = out
    }

    static func bucket(lead: Int64, horizon: Int64) -> Int {
        min(buckets - 1, max(0, Int(lead * Int64(buckets) / max(1, horizon))))
    }

    static func quantile(_ sorted: [Double], _ level: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = level * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(sorted.count - 1, lo + 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }

    /// The four offsets (model scale) of the interval bounds at `lead` seconds after the origin;
    /// `extraVariance` (an event's own uncertainty) widens them.
    public func bounds(lead: Int64, extraVariance: Double = 0) -> [Double] {
        let q = quantiles[Self.bucket(lead: lead, horizon: horizonSeconds)]
        var factor = lead > horizonSeconds ? (Double(lead) / Double(horizonSeconds)).squareRoot() : 1
        if extraVariance > 0 {
            let sd = max(1e-9, (q[2] - q[1]) / 2.563)
            factor *= (1 + extraVariance / (sd * sd)).squareRoot()
        }
        return q.map { $0 * factor }
    }

    /// Share (%) of `errors` inside the 80 % interval.
    public func coverage80(_ errors: [(lead: Int64, error: Double)]) -> Double? {
        guard !errors.isEmpty else { return nil }
        let inside = errors.filter { let b = bounds(lead: $0.lead); return $0.error >= b[1] && $0.error <= b[2] }.count
        return Double(inside) / Double(errors.count) * 100
    }
}
