/// How close a forecast came to what happened.
public struct AccuracyMetrics: Sendable, Hashable, Codable {
    /// Mean absolute percentage error, zero actuals skipped (%).
    public var mape: Double
    /// Median absolute percentage error (%).
    public var medianAPE: Double
    /// Symmetric MAPE: mean of |f − a| / ((|f| + |a|) / 2) (%).
    public var smape: Double
    /// Share of actuals inside the 80 % and 95 % intervals (%); nil for forecasts without intervals.
    public var coverage80: Double?
    public var coverage95: Double?
    public var points: Int

    public init(actual: [Double], forecast: [ForecastPoint]) {
        self.init(actual: actual, predicted: forecast.map(\.value), intervals: forecast)
    }

    public init(actual: [Double], predicted: [Double], intervals: [ForecastPoint]? = nil) {
        precondition(actual.count == predicted.count)
        var apes: [Double] = []
        var smapeSum = 0.0, smapeCount = 0
        var in80 = 0, in95 = 0
        for i in actual.indices {
            let a = actual[i], f = predicted[i]
            if a != 0 { apes.append(abs(f - a) / abs(a) * 100) }
            let denominator = (abs(f) + abs(a)) / 2
            if denominator > 0 { smapeSum += abs(f - a) / denominator * 100 }
            smapeCount += 1
            if let intervals {
                if a >= intervals[i].lower80 && a <= intervals[i].upper80 { in80 += 1 }
                if a >= intervals[i].lower95 && a <= intervals[i].upper95 { in95 += 1 }
            }
        }
        mape = apes.isEmpty ? .nan : apes.reduce(0, +) / Double(apes.count)
        apes.sort()
        medianAPE = apes.isEmpty ? .nan : (apes.count % 2 == 1 ? apes[apes.count / 2] : (apes[apes.count / 2 - 1] + apes[apes.count / 2]) / 2)
        smape = smapeCount == 0 ? .nan : smapeSum / Double(smapeCount)
        coverage80 = intervals == nil || actual.isEmpty ? nil : Double(in80) / Double(actual.count) * 100
        coverage95 = intervals == nil || actual.isEmpty ? nil : Double(in95) / Double(actual.count) * 100
        points = actual.count
    }
}
