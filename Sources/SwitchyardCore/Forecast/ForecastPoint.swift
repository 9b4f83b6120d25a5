import Foundation

/// One forecast time: the point forecast (the median, exp of the log forecast) and the 80 % and
/// 95 % prediction intervals.
public struct ForecastPoint: Sendable, Hashable, Codable {
    @ISO8601Time public var time: Int64
    public var value: Double
    public var lower80: Double
    public var upper80: Double
    public var lower95: Double
    public var upper95: Double

    public init(time: Int64, value: Double, lower80: Double, upper80: Double, lower95: Double, upper95: Double) {
        self.time = time
        self.value = value
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
    }
}

extension ForecastModel {
    /// Forecasts at the given times (after the training history).
    ///
    /// Intervals on log QPS: the residuals' own quantiles (heavy tails and skew kept), widened by
    /// sqrt(1 + (trend variance(h) + event variance) / residual variance). The trend variance grows
    /// as h³ with the horizon h: future slope changes arrive as they did in the history.
    public func forecast(at times: [Int64], target: TargetEffect? = nil) -> [ForecastPoint] {
        let p = layout.columns
        let sd2 = residualSD * residualSD
        let z = [-1.959964, -1.281552, 1.281552, 1.959964]
        var out: [ForecastPoint] = []
        out.reserveCapacity(times.count)
        var row = [Double](repeating: 0, count: p)
        row.withUnsafeMutableBufferPointer { buffer in
            let r = buffer.baseAddress!
            for time in times {
                layout.fill(r, stride: 1, seconds: time, includeEvents: false)
                var mean = 0.0
                for j in 0..<p { mean += r[j] * coefficients[j] }
                var extra = trendVariance(at: time)
                if let target {
                    let effect = target.effect(at: time)
                    mean += effect.log
                    extra += effect.variance
                }
                var bounds = [Double](repeating: 0, count: 4)
                for k in 0..<4 {
                    bounds[k] = sd2 > 1e-18
                        ? residualQuantiles[k] * (1 + extra / sd2).squareRoot()
                        : z[k] * extra.squareRoot()
                }
                out.append(ForecastPoint(time: time, value: inverse(mean), lower80: inverse(mean + bounds[1]), upper80: inverse(mean + bounds[2]),
                                         lower95: inverse(mean + bounds[0]), upper95: inverse(mean + bounds[3])))
            }
        }
        return out
    }

    /// Times from just after the training history through `end` (exclusive), at the history's step.
    public func futureTimes(through end: Int64, step customStep: Int64? = nil) -> [Int64] {
        let s = max(1, customStep ?? step)
        var times: [Int64] = []
        var t = trainingEnd + s
        while t < end { times.append(t); t += s }
        return times
    }
}
