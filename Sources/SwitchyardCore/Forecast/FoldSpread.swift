/// How the calibration folds' errors are pooled when their spreads differ. The interval is judged
/// on one future window, which is like one fold: pooling a fold of one-off bursts (a holiday, an
/// incident) with calm ones gives a width that covers 80 % only on average over windows, too wide
/// for the calm ones and too narrow for the wild one. Measured by each fold's 90 % − 10 % spread.
public enum FoldSpread: String, Sendable, Hashable, Codable, CaseIterable {
    /// The errors as they are.
    case pooled
    /// Each fold's errors rescaled (about 0) to the median spread of the folds.
    case median
    /// Only the folds wider than the median spread are rescaled down to it.
    case capped

    typealias Errors = [(lead: Int64, error: Double)]

    func apply(_ folds: [Errors]) -> [Errors] {
        let spreads = folds.map(Self.spread)
        let positive = spreads.filter { $0 > 0 }.sorted()
        guard folds.count > 1, !positive.isEmpty else { return folds }
        let median = positive.count % 2 == 1 ? positive[positive.count / 2]
            : (positive[positive.count / 2 - 1] + positive[positive.count / 2]) / 2
        return zip(folds, spreads).map { errors, spread in
            guard spread > 0 else { return errors }
            let ratio: Double
            switch self {
            case .pooled: ratio = 1
            case .median: ratio = median / spread
            case .capped: ratio = min(1, median / spread)
            }
            return ratio == 1 ? errors : errors.map { ($0.lead, $0.error * ratio) }
        }
    }

    static func spread(_ errors: Errors) -> Double {
        let sorted = errors.map(\.error).sorted()
        return IntervalCalibration.quantile(sorted, 0.9) - IntervalCalibration.quantile(sorted, 0.1)
    }
}
