import Foundation

/// log QPS = piecewise-linear trend + Fourier seasonalities + event effects + noise, fitted by
/// (ridge-regularised, optionally Huber-reweighted) least squares on streamed normal equations.
///
/// Zeros and low counts: the response is log(qps + offset) with offset = `offsetShare` × the
/// median QPS, or log(max(qps, floor)) with floor = half the smallest positive value when the
/// offset is 0, so a zero (a scrape outage, a night with no traffic) is a low point, not −∞.
public struct ForecastModel: Sendable, Hashable, Codable {
    public var layout: FeatureLayout
    public var coefficients: [Double]
    public var floor: Double
    /// Added to QPS before the log (see `transform`).
    public var offset: Double = 0
    /// Standard deviation and quantiles (2.5, 10, 90, 97.5 %) of the residuals on log QPS.
    public var residualSD: Double
    public var residualQuantiles: [Double]
    /// Trend uncertainty, as Prophet models it: changes of slope arrive at `changepointRate` per
    /// unit of scaled time with Laplace magnitudes of scale `changepointScale`.
    public var changepointRate: Double
    public var changepointScale: Double
    public var trainingStart: Int64
    public var trainingEnd: Int64
    public var step: Int64
    public var points: Int
    /// Rows that each event column saw in training (an event outside the history has 0).
    public var eventRows: [Int]

    public static let quantileLevels = [0.025, 0.1, 0.9, 0.975]

    public static func fit(_ series: QPSSeries, events: [EventWindow] = [], options: ForecastOptions = ForecastOptions(),
                           source: String = "history") throws(HistoryError) -> ForecastModel {
        guard let first = series.first, let last = series.last else { throw .empty(source: source) }
        let spanDays = Double(last - first) / 86_400
        guard series.count >= options.minimumPoints, spanDays >= options.minimumDays else {
            throw .tooShort(source: source, points: series.count, span: String(format: "%.1f days", spanDays),
                            needed: "\(options.minimumPoints) points over \(Int(options.minimumDays)) days at least")
        }
        let step = series.step
        let (floor, offset) = scale(of: series, options: options)
        let layout = makeLayout(series, events: events, step: step, spanDays: spanDays, options: options)
        let p = layout.columns
        let n = series.count

        var penalty = [Double](repeating: 0, count: p)
        for j in layout.changepointBase..<layout.dailyBase { penalty[j] = options.changepointPenalty }
        for j in layout.dailyBase..<layout.eventBase { penalty[j] = options.seasonalityPenalty }
        for j in layout.eventBase..<p { penalty[j] = options.eventPenalty }
        // Keeps the system definite when a column is empty (an event before the history).
        penalty[0] = 1e-12; penalty[1] = 1e-12

        var logs = [Double](repeating: 0, count: n)
        for i in 0..<n { logs[i] = Self.transform(series.values[i], floor: floor, offset: offset) }

        func solve(weights: [Float]?) throws(HistoryError) -> (beta: [Double], eventRows: [Int]) {
            var acc = GramAccumulator(width: p + 1)
            var totalWeight = 0.0
            series.times.withUnsafeBufferPointer { times in
                for i in 0..<n {
                    let w = weights.map { Double($0[i]) } ?? 1
                    if w == 0 { continue }
                    totalWeight += w
                    let root = w.squareRoot()
                    acc.append { row, stride in
                        layout.fill(row, stride: stride, seconds: times[i])
                        row[p * stride] = logs[i]
                        if root != 1 { for j in 0...p { row[j * stride] *= root } }
                    }
                }
            }
            let gram = acc.gram()
            var xtx = [Double](repeating: 0, count: p * p)
            var xty = [Double](repeating: 0, count: p)
            let scale = 1 / max(totalWeight, 1e-300)
            for i in 0..<p {
                for j in 0..<p { xtx[i * p + j] = gram[i * (p + 1) + j] * scale }
                xty[i] = gram[i * (p + 1) + p] * scale
            }
            let rows = (layout.eventBase..<p).map { Int(gram[$0 * (p + 1) + $0].rounded()) }
            do {
                return (try LeastSquares.solveNormalEquations(xtx: xtx, xty: xty, penalty: penalty), rows)
            } catch {
                throw .backend(source: source, message: "the model could not be fitted: \(error)")
            }
        }

        func residuals(_ beta: [Double]) -> [Float] {
            residuals(beta, every: 1)
        }

        /// The residuals of every `every`-th point (the last one included).
        func residuals(_ beta: [Double], every: Int) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(n / every + 1)
            var row = [Double](repeating: 0, count: p)
            row.withUnsafeMutableBufferPointer { buffer in
                let r = buffer.baseAddress!
                var i = (n - 1) % every
                while i < n {
                    layout.fill(r, stride: 1, seconds: series.times[i])
                    var fitted = 0.0
                    for j in 0..<p { fitted += r[j] * beta[j] }
                    out.append(Float(logs[i] - fitted))
                    i += every
                }
            }
            return out
        }

        // A long history (one year of minutes): the first, unweighted fit only gives the robust
        // weights, so it is fitted on every k-th point; the residual quantiles of the final fit are
        // read from every k-th point too. Both at `exactPointLimit` points at least.
        let every = options.robust && n > 2 * options.exactPointLimit ? n / options.exactPointLimit : 1
        let start: [Float]? = every > 1 ? (0..<n).map { $0 % every == (n - 1) % every ? 1 : 0 } : nil
        var (beta, eventRows) = try solve(weights: start)
        var resid = residuals(beta)
        if options.robust {
            let scale = 1.4826 * Self.median(resid.map { abs($0) })
            if scale > 0 {
                let k = Float(options.huberK * scale)
                let weights = resid.map { abs($0) <= k ? Float(1) : k / abs($0) }
                (beta, eventRows) = try solve(weights: weights)
            } else if start != nil {
                (beta, eventRows) = try solve(weights: nil)
            }
            resid = residuals(beta, every: every)
        }
        var sum = 0.0, sumSquares = 0.0
        for r in resid { sum += Double(r); sumSquares += Double(r) * Double(r) }
        let m = resid.count
        let mean = sum / Double(m)
        let sd = max(0, sumSquares / Double(m) - mean * mean).squareRoot()
        let ranks = quantileLevels.map { min(m - 1, max(0, Int(($0 * Double(m - 1)).rounded()))) }
        let quantiles = OrderStatistic.select(&resid, ranks).map(Double.init)
        let deltas = beta[layout.changepointBase..<layout.dailyBase]
        let scaleDelta = deltas.isEmpty ? 0 : deltas.reduce(0) { $0 + abs($1) } / Double(deltas.count)
        return ForecastModel(layout: layout, coefficients: beta, floor: floor, offset: offset, residualSD: sd, residualQuantiles: quantiles,
                             changepointRate: Double(deltas.count) / options.changepointRange, changepointScale: scaleDelta,
                             trainingStart: first, trainingEnd: last, step: step, points: n, eventRows: eventRows)
    }

    static func makeLayout(_ series: QPSSeries, events: [EventWindow], step: Int64, spanDays: Double, options: ForecastOptions) -> FeatureLayout {
        let first = series.times[0]
        let span = Double(max(1, series.times[series.count - 1] - first))
        // Changepoints on observed points (as Prophet does), so gaps do not get changepoints of their own;
        // no closer than two days apart on average.
        let count = min(options.changepoints, Int(spanDays * options.changepointRange / 2), series.count / 4)
        var changepoints: [Double] = []
        if count > 0 {
            let limit = Int(Double(series.count - 1) * options.changepointRange)
            for k in 1...count {
                let index = limit * k / (count + 1) + limit / (2 * (count + 1))
                changepoints.append(Double(series.times[min(index, series.count - 1)] - first) / span)
            }
        }
        let subDaily = step < 6 * 3_600
        let usedEvents = events.filter { $0.endSeconds > first && $0.startSeconds <= series.times[series.count - 1] }
        return FeatureLayout(
            origin: first, span: span, changepoints: changepoints,
            dailyOrder: subDaily ? options.dailyOrder : 0,
            weekendDailyOrder: subDaily && spanDays >= 14 ? options.weekendDailyOrder : 0,
            weeklyOrder: spanDays >= 14 ? options.weeklyOrder : 0,
            yearlyOrder: spanDays >= options.yearlyMinimumDays ? options.yearlyOrder : 0,
            events: usedEvents)
    }

    /// The floor (half the smallest positive value) and the offset of `transform` for a history.
    public static func scale(of series: QPSSeries, options: ForecastOptions) -> (floor: Double, offset: Double) {
        let positive = series.values.lazy.filter { $0 > 0 }.min() ?? 1
        let floor = positive / 2
        return (floor, options.offsetShare > 0 ? max(floor, options.offsetShare * median(series.values.map { Float($0) })) : 0)
    }

    static func transform(_ qps: Double, floor: Double, offset: Double) -> Double {
        offset > 0 ? log(max(0, qps) + offset) : log(max(qps, floor))
    }

    /// The scale the model is fitted on: log(qps + offset), or log(max(qps, floor)).
    public func transform(_ qps: Double) -> Double { Self.transform(qps, floor: floor, offset: offset) }

    /// Back from the model's scale to QPS (never below 0).
    public func inverse(_ value: Double) -> Double { Self.inverse(value, floor: floor, offset: offset) }

    /// The scale's zero (log of the floor, which every zero and value below the floor was fitted as) is 0 QPS, not the
    /// floor: a history of zeros is forecast as zeros, and an interval reaching down there covers them.
    static func inverse(_ value: Double, floor: Double, offset: Double) -> Double {
        if offset > 0 { return max(0, exp(value) - offset) }
        return value <= log(floor) + 1e-9 ? 0 : exp(value)
    }

    static func median(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        var copy = values
        return Double(OrderStatistic.select(&copy, copy.count / 2, in: 0..<copy.count))
    }

    // MARK: - Reading the fit

    /// The fitted log QPS at a time, without event effects.
    public func baseLog(at seconds: Int64) -> Double {
        let p = layout.columns
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: p) { buffer in
            layout.fill(buffer.baseAddress!, stride: 1, seconds: seconds, includeEvents: false)
            var value = 0.0
            for j in 0..<p { value += buffer[j] * coefficients[j] }
            return value
        }
    }

    /// The parts of the fit at a time, on the model's scale (they add up to `baseLog` plus the
    /// event part): trend, daily (weekend days' shape included), weekly, yearly, past events.
    public func components(at seconds: Int64) -> (trend: Double, daily: Double, weekly: Double, yearly: Double, events: Double) {
        let p = layout.columns
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: p) { buffer in
            layout.fill(buffer.baseAddress!, stride: 1, seconds: seconds)
            func sum(_ range: Range<Int>) -> Double { range.reduce(0) { $0 + buffer[$1] * coefficients[$1] } }
            return (sum(0..<layout.dailyBase), sum(layout.dailyBase..<layout.weeklyBase), sum(layout.weeklyBase..<layout.yearlyBase),
                    sum(layout.yearlyBase..<layout.eventBase), sum(layout.eventBase..<p))
        }
    }

    /// The trend alone (log QPS) at a time.
    public func trendLog(at seconds: Int64) -> Double {
        let t = layout.scaledTime(seconds)
        var value = coefficients[0] + coefficients[1] * t
        for (k, cp) in layout.changepoints.enumerated() where t > cp { value += coefficients[layout.changepointBase + k] * (t - cp) }
        return value
    }

    /// Growth of the trend over the last year of training (0.4 = +40 % a year): the trend's rise
    /// from a year before the end to the end; with less than a year of history, the final slope
    /// extrapolated to a year.
    public var annualGrowth: Double {
        let year = Int64(FeatureLayout.yearSeconds)
        if trainingEnd - trainingStart >= year {
            return exp(trendLog(at: trainingEnd) - trendLog(at: trainingEnd - year)) - 1
        }
        let slope = coefficients[1] + layout.changepoints.indices.reduce(0) { $0 + coefficients[layout.changepointBase + $1] }
        return exp(slope * FeatureLayout.yearSeconds / layout.span) - 1
    }

    /// The multiplier an event's day offset was fitted with (nil when the history does not hold it).
    public func eventMultiplier(event index: Int, offset: Int) -> Double? {
        let event = layout.events[index]
        guard event.offsets.contains(offset) else { return nil }
        let column = layout.eventBase(index) + offset + event.daysBefore
        guard eventRows[column - layout.eventBase] > 0 else { return nil }
        return exp(coefficients[column])
    }

    /// Variance of the trend's log at `seconds` after the end of training.
    public func trendVariance(at seconds: Int64) -> Double {
        let h = max(0, Double(seconds - trainingEnd) / layout.span)
        return changepointRate * 2 * changepointScale * changepointScale * h * h * h / 3
    }
}
