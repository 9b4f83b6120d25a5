import Foundation

/// What `yard forecast` forecasts with: the regression model (`ForecastModel`), blended towards
/// seasonal naive when that did better on the backtest folds inside the training history, with
/// intervals calibrated from the out-of-sample errors on those same folds, by lead time.
///
/// Nothing here looks past the end of the series it is given: the folds are cut from it.
public struct Forecaster: Sendable, Hashable {
    /// One calibration fold: fitted before `origin`, scored on `origin ..< end`.
    public struct Fold: Sendable, Hashable, Codable {
        @ISO8601Time public var origin: Int64
        @ISO8601Time public var end: Int64
        public var smapeModel: Double
        public var smapeSeasonalNaive: Double?
        public var smapeBlend: Double
    }

    public var model: ForecastModel
    /// Weight of seasonal naive in the forecast (0: the model alone; 1: seasonal naive alone),
    /// on the model's scale: transform⁻¹((1 − w) · model + w · naive).
    public var blendWeight: Double
    public var calibration: IntervalCalibration?
    public var folds: [Fold]
    /// Coverage of the 80 % interval on each fold when it is calibrated on the other folds (%):
    /// what the calibration can be expected to hold on new data.
    public var foldCoverage80: Double?
    /// The last five weeks of the history: what seasonal naive reads.
    public var recent: QPSSeries
    /// The changepoint penalty the model was fitted with (chosen on the folds among
    /// `ForecastOptions.changepointPenalties` when there are several).
    public var changepointPenalty: Double = 0

    typealias Row = (lead: Int64, actual: Double, model: Double, naive: Double?, qps: Double, modelQPS: Double, naiveQPS: Double?)

    public static func fit(_ series: QPSSeries, events: [EventWindow] = [], options: ForecastOptions = ForecastOptions(),
                           source: String = "history") throws(HistoryError) -> Forecaster {
        guard let last = series.last, options.calibrationFolds > 0 else {
            let model = try ForecastModel.fit(series, events: events, options: options, source: source)
            return Forecaster(model: model, blendWeight: 0, calibration: nil, folds: [], foldCoverage80: nil,
                              recent: series.slice(from: model.trainingEnd - 5 * SeasonalNaive.week))
        }
        let recent = series.slice(from: last - 5 * SeasonalNaive.week)
        let scale = ForecastModel.scale(of: series, options: options)
        func transform(_ qps: Double) -> Double { ForecastModel.transform(qps, floor: scale.floor, offset: scale.offset) }
        func inverse(_ v: Double) -> Double { max(0, exp(v) - scale.offset) }
        let horizon = Backtest.defaultHorizon(for: series)

        // The folds, cut once; each candidate penalty is fitted on each.
        var cuts: [(origin: Int64, train: QPSSeries, test: QPSSeries, naive: [Double?])] = []
        for k in 1...options.calibrationFolds {
            let origin = last + 1 - Int64(k) * horizon
            var train = series.slice(to: origin)
            let test = series.slice(from: origin, to: origin + horizon)
            guard !test.isEmpty, train.count > 0 else { break }
            if train.count > options.calibrationPointLimit {
                let stride = (train.count + options.calibrationPointLimit - 1) / options.calibrationPointLimit
                train = train.thinned(keepingEvery: stride)
            }
            let history = series.slice(from: origin - 5 * SeasonalNaive.week, to: origin)
            cuts.append((origin, train, test, test.times.map { SeasonalNaive.forecast(history: history, origin: origin, at: $0) }))
        }
        func blended(_ m: Double, _ n: Double?, _ w: Double) -> Double { n.map { (1 - w) * m + w * $0 } ?? m }
        // Per candidate penalty: the fold rows, the best blend weight and its mean sMAPE; ties go
        // to the earlier candidate and to the smaller weight.
        var best: (penalty: Double, rows: [[Row]], weight: Double, score: Double)?
        let penalties = options.changepointPenalties.isEmpty ? [options.changepointPenalty] : options.changepointPenalties
        for penalty in penalties {
            var inner = options
            inner.calibrationFolds = 0
            inner.changepointPenalty = penalty
            var scored: [[Row]] = []
            for cut in cuts {
                guard let foldModel = try? ForecastModel.fit(cut.train, events: events, options: inner, source: source) else { break }
                let forecast = foldModel.forecast(at: cut.test.times)
                scored.append(cut.test.times.indices.map { i in
                    (cut.test.times[i] - cut.origin, transform(cut.test.values[i]), transform(forecast[i].value), cut.naive[i].map(transform),
                     cut.test.values[i], forecast[i].value, cut.naive[i])
                })
            }
            guard !scored.isEmpty else { break }
            for w in options.blendWeights.sorted() {
                let score = scored.map { rows in smape(rows.map { ($0.qps, inverse(blended($0.model, $0.naive, w))) }) }.reduce(0, +) / Double(scored.count)
                if score < (best?.score ?? .infinity) - 1e-9 { best = (penalty, scored, w, score) }
            }
        }
        var chosen = options
        if let best { chosen.changepointPenalty = best.penalty }
        let model = try ForecastModel.fit(series, events: events, options: chosen, source: source)
        guard let best else {
            return Forecaster(model: model, blendWeight: 0, calibration: nil, folds: [], foldCoverage80: nil, recent: recent)
        }
        let w = best.weight
        let scored = best.rows
        let origins = cuts.prefix(scored.count).map(\.origin)
        let errorsByFold = scored.map { rows in rows.map { (lead: $0.lead, error: $0.actual - blended($0.model, $0.naive, w)) } }
        let calibration = IntervalCalibration(errors: errorsByFold.flatMap { $0 }, horizonSeconds: horizon)
        var inside = 0.0, total = 0.0
        if errorsByFold.count > 1 {
            for k in errorsByFold.indices {
                let others = errorsByFold.indices.filter { $0 != k }.flatMap { errorsByFold[$0] }
                guard let held = IntervalCalibration(errors: others, horizonSeconds: horizon), let c = held.coverage80(errorsByFold[k]) else { continue }
                inside += c * Double(errorsByFold[k].count)
                total += Double(errorsByFold[k].count)
            }
        }
        let folds = zip(origins, scored).map { origin, rows in
            let naiveRows = rows.compactMap { r in r.naiveQPS.map { (r.qps, $0) } }
            return Fold(origin: origin, end: origin + horizon,
                        smapeModel: smape(rows.map { ($0.qps, $0.modelQPS) }),
                        smapeSeasonalNaive: naiveRows.isEmpty ? nil : smape(naiveRows),
                        smapeBlend: smape(rows.map { ($0.qps, inverse(blended($0.model, $0.naive, w))) }))
        }
        return Forecaster(model: model, blendWeight: w, calibration: calibration, folds: folds,
                          foldCoverage80: total > 0 ? inside / total : nil, recent: recent, changepointPenalty: chosen.changepointPenalty)
    }

    static func smape(_ pairs: [(actual: Double, forecast: Double)]) -> Double {
        guard !pairs.isEmpty else { return .nan }
        var sum = 0.0
        for (a, f) in pairs {
            let d = (abs(a) + abs(f)) / 2
            if d > 0 { sum += abs(f - a) / d }
        }
        return sum / Double(pairs.count) * 100
    }

    /// Forecasts at times after the history. Without calibration, the model's own intervals.
    public func forecast(at times: [Int64], target: TargetEffect? = nil) -> [ForecastPoint] {
        let base = model.forecast(at: times, target: target)
        guard let calibration else { return base }
        return base.map { point in
            var center = model.transform(point.value)
            let effect = target?.effect(at: point.time)
            if blendWeight > 0, let naive = SeasonalNaive.forecast(history: recent, origin: model.trainingEnd + 1, at: point.time) {
                // The event's lift applies to the naive part too: last week did not have the event.
                center = (1 - blendWeight) * center + blendWeight * (model.transform(naive) + (effect?.log ?? 0))
            }
            let lead = point.time - model.trainingEnd
            let b = calibration.bounds(lead: lead, extraVariance: effect?.variance ?? 0)
            // A bound at or below the scale's zero (log of the floor) is 0 QPS: zeros are covered.
            let zero = model.transform(0) + 1e-9
            func bound(_ v: Double) -> Double { v <= zero ? 0 : model.inverse(v) }
            return ForecastPoint(time: point.time, value: model.inverse(center),
                                 lower80: bound(center + b[1]), upper80: bound(center + b[2]),
                                 lower95: bound(center + b[0]), upper95: bound(center + b[3]))
        }
    }

    /// How the forecast was made, for the report.
    public var summary: String {
        guard calibration != nil else { return "the model alone; intervals from its residuals (no calibration folds)" }
        let recentWins = folds.filter { ($0.smapeSeasonalNaive ?? .infinity) < $0.smapeModel }.count
        let blend: String
        switch blendWeight {
        case 0: blend = "the model alone (seasonal naive won \(recentWins) of \(folds.count) recent folds)"
        case 1: blend = "seasonal naive alone: it won \(recentWins) of \(folds.count) recent folds"
        default: blend = "blended \(Int((blendWeight * 100).rounded())) % towards seasonal naive (it won \(recentWins) of \(folds.count) recent folds)"
        }
        return blend + String(format: "; changepoint penalty %g", changepointPenalty) + "; intervals calibrated on \(folds.count) folds' errors"
    }
}

extension QPSSeries {
    /// Every `stride`-th point, the last one kept.
    public func thinned(keepingEvery stride: Int) -> QPSSeries {
        guard stride > 1, count > 2 else { return self }
        var t: [Int64] = [], v: [Double] = []
        t.reserveCapacity(count / stride + 2)
        v.reserveCapacity(count / stride + 2)
        var i = (count - 1) % stride
        while i < count { t.append(times[i]); v.append(values[i]); i += stride }
        return QPSSeries(times: t, values: v)
    }
}
