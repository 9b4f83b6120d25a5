import Foundation

/// Prediction intervals from a forecaster's own out-of-sample errors: on the backtest folds inside
/// the training history, the errors (on the model's scale, actual − forecast) are grouped by lead
/// time into `buckets` equal slices of the fold horizon, and each slice keeps its 2.5, 10, 90 and
/// 97.5 % quantiles:
///
/// 1. A slice's quantile is shrunk towards the pooled one of all folds' errors by its count:
///    (n · slice + `shrinkage` · pooled) / (n + `shrinkage`), so a slice of few errors (a daily
///    series' three folds of 60 days have 45 a slice) does not set its own width from a handful of
///    points; a sub-daily series' slices (1,500 errors) are barely moved.
/// 2. Errors do not shrink with the lead time: the upper quantiles are made non-decreasing and the
///    lower ones non-increasing over the slices (`Monotone`: a running maximum by default, which
///    the folds preferred to the isotonic fit once the seasonal median was a blend partner).
/// 3. Beyond the fold horizon the last slice widens as (lead / horizon)^α: α is the growth the
///    slices themselves show (the slope of log width on log lead over the slices' shrunk widths as
///    they were before step 2, within 0 ... ½: a running maximum of flat, noisy widths rises, and so
///    would its slope), or a fixed exponent. A fixed α = ½ widened a series whose errors do not grow
///    with the lead (bursts, not drift) far past its folds' coverage.
///
/// `pseudo-count 500` and the growth taken before step 2 were chosen on the backtest folds before
/// each shared series' hold-out, over all ten (`yard forecast --tune`), never on a hold-out.
public struct IntervalCalibration: Sendable, Hashable, Codable {
    public static let levels = [0.025, 0.1, 0.9, 0.975]
    public static let buckets = 4

    /// How the slices are kept from narrowing with the lead time.
    public enum Monotone: String, Sendable, Hashable, Codable, CaseIterable {
        /// Each slice at least as wide as the one before it (a wide early slice widens all later ones).
        case runningMax
        /// Pool-adjacent-violators by count: neighbouring slices that narrow are averaged.
        case isotonic
    }

    public struct Settings: Sendable, Hashable, Codable {
        public var monotone: Monotone = .runningMax
        /// Pseudo-count of the pooled quantile in each slice's (0: each slice alone).
        public var shrinkage = 500.0
        /// The exponent of the widening past the fold horizon; nil: estimated from the slices.
        public var growthExponent: Double?
        /// Each fold's errors rescaled by the spread of the residuals just before the forecast's
        /// origin over the spread just before the fold's (within ⅓ ... 3): a history whose bursts
        /// stopped (or started) gets the width of its recent noise (see `Forecaster.residualSpread`).
        public var localScale = false
        /// Each fold's errors are those of the blend chosen on the other folds (`Forecaster`).
        public var crossBlend = true
        /// The weight of a fold's errors relative to those of the fold just after it (1: all folds
        /// alike; ½: each fold counts half as much as the next more recent one), so that a history
        /// whose noise changed is calibrated mostly on its latest folds (`FoldCalibration`).
        public var recency = 1.0
        /// When not empty, each series chooses its `recency` among these on its own folds: the one
        /// whose leave-one-fold-out coverage of the 80 % interval is closest to 80 % (`FoldCalibration`).
        public var recencies: [Double] = []
        /// How the folds' spreads are combined (`FoldSpread`).
        public var foldSpread = FoldSpread.pooled
        /// The widening past the fold horizon estimated from the slices before they are kept from
        /// narrowing (a running maximum of flat, noisy widths rises, and so would its slope).
        public var growthBeforeMonotone = true
        /// The interval scaled so that the fold of median coverage is covered 80 % (`TypicalWindow`).
        public var typicalWindow = false
        public init(monotone: Monotone = .runningMax, shrinkage: Double = 500, growthExponent: Double? = nil, localScale: Bool = false,
                    crossBlend: Bool = true, recency: Double = 1, recencies: [Double] = [], foldSpread: FoldSpread = .pooled,
                    typicalWindow: Bool = false, growthBeforeMonotone: Bool = true) {
            self.growthBeforeMonotone = growthBeforeMonotone
            self.typicalWindow = typicalWindow
            self.foldSpread = foldSpread
            self.crossBlend = crossBlend
            self.recency = recency
            self.recencies = recencies
            self.monotone = monotone
            self.shrinkage = shrinkage
            self.growthExponent = growthExponent
            self.localScale = localScale
        }
    }

    public var horizonSeconds: Int64
    /// Per slice: the four quantiles of `levels`.
    public var quantiles: [[Double]]
    public var errors: Int
    /// The exponent of the widening past `horizonSeconds`.
    public var growthExponent: Double

    /// nil when there are no errors at all. `weights` (one per error; nil: all alike) weigh the
    /// quantiles (`WeightedQuantile`) and, scaled to a mean of 1, count as that many errors in the
    /// shrinkage of each slice.
    public init?(errors: [(lead: Int64, error: Double)], weights: [Double]? = nil, horizonSeconds: Int64, settings: Settings = Settings()) {
        guard !errors.isEmpty, horizonSeconds > 0 else { return nil }
        self.horizonSeconds = horizonSeconds
        self.errors = errors.count
        let w = WeightedQuantile.normalized(weights, count: errors.count)
        let pooled = WeightedQuantile(errors.map(\.error), weights: w).values(at: Self.levels)
        var slices = [[Int]](repeating: [], count: Self.buckets)
        for (i, e) in errors.enumerated() { slices[Self.bucket(lead: e.lead, horizon: horizonSeconds)].append(i) }
        var q: [[Double]] = []
        var counts: [Double] = []
        for slice in slices {
            let n = w.map { w in slice.reduce(0) { $0 + w[$1] } } ?? Double(slice.count)
            counts.append(max(n, 1))
            let own = WeightedQuantile(slice.map { errors[$0].error }, weights: w.map { w in slice.map { w[$0] } }).values(at: Self.levels)
            q.append(Self.levels.indices.map { l in
                slice.isEmpty ? pooled[l] : (n * own[l] + settings.shrinkage * pooled[l]) / (n + settings.shrinkage)
            })
        }
        let rawWidths = q.map { $0[2] - $0[1] }
        for l in Self.levels.indices {
            let sign = Self.levels[l] > 0.5 ? 1.0 : -1.0
            let column = q.map { sign * $0[l] }
            let fixed: [Double]
            switch settings.monotone {
            case .runningMax: fixed = Self.runningMax(column)
            case .isotonic: fixed = Self.isotonic(column, weights: counts)
            }
            for b in q.indices { q[b][l] = sign * fixed[b] }
        }
        quantiles = q
        if let fixed = settings.growthExponent {
            growthExponent = fixed
        } else {
            growthExponent = Self.growth(widths: settings.growthBeforeMonotone ? rawWidths : q.map { $0[2] - $0[1] })
        }
    }

    static func runningMax(_ xs: [Double]) -> [Double] {
        var out: [Double] = []
        for x in xs { out.append(max(x, out.last ?? -.infinity)) }
        return out
    }

    /// The non-decreasing sequence closest to `xs` in weighted least squares (pool adjacent violators).
    static func isotonic(_ xs: [Double], weights: [Double]) -> [Double] {
        var blocks: [(value: Double, weight: Double, count: Int)] = []
        for (x, w) in zip(xs, weights) {
            blocks.append((x, w, 1))
            while blocks.count > 1, blocks[blocks.count - 2].value > blocks[blocks.count - 1].value {
                let b = blocks.removeLast(), a = blocks.removeLast()
                let weight = a.weight + b.weight
                blocks.append(((a.value * a.weight + b.value * b.weight) / weight, weight, a.count + b.count))
            }
        }
        return blocks.flatMap { Array(repeating: $0.value, count: $0.count) }
    }

    /// The slope of log width on log lead (slice midpoints), within 0 ... ½.
    static func growth(widths: [Double]) -> Double {
        let points = widths.enumerated().compactMap { b, w in w > 0 ? (x: log((Double(b) + 0.5) / Double(buckets)), y: log(w)) : nil }
        guard points.count >= 2 else { return 0 }
        let mx = points.map(\.x).reduce(0, +) / Double(points.count)
        let my = points.map(\.y).reduce(0, +) / Double(points.count)
        let sxx = points.reduce(0) { $0 + ($1.x - mx) * ($1.x - mx) }
        let sxy = points.reduce(0) { $0 + ($1.x - mx) * ($1.y - my) }
        guard sxx > 0 else { return 0 }
        return min(0.5, max(0, sxy / sxx))
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
        var factor = lead > horizonSeconds ? pow(Double(lead) / Double(horizonSeconds), growthExponent) : 1
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
