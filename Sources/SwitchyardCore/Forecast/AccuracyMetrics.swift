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

/// An undefined figure (MAPE over actuals that are all zero, anything over no points) is `null` in JSON, which
/// cannot hold NaN; `null` reads back as NaN.
extension AccuracyMetrics {
    enum CodingKeys: String, CodingKey { case mape, medianAPE, smape, coverage80, coverage95, points }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mape = try c.decodeIfPresent(Double.self, forKey: .mape) ?? .nan
        medianAPE = try c.decodeIfPresent(Double.self, forKey: .medianAPE) ?? .nan
        smape = try c.decodeIfPresent(Double.self, forKey: .smape) ?? .nan
        coverage80 = try c.decodeIfPresent(Double.self, forKey: .coverage80)
        coverage95 = try c.decodeIfPresent(Double.self, forKey: .coverage95)
        points = try c.decode(Int.self, forKey: .points)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func figure(_ value: Double, _ key: CodingKeys) throws {
            if value.isFinite { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try figure(mape, .mape)
        try figure(medianAPE, .medianAPE)
        try figure(smape, .smape)
        try c.encodeIfPresent(coverage80, forKey: .coverage80)
        try c.encodeIfPresent(coverage95, forKey: .coverage95)
        try c.encode(points, forKey: .points)
    }
}
