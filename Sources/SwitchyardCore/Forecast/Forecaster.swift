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

    /// Weight of the seasonal median (`SeasonalNaive.median`, the last four weeks' median) in the
    /// forecast, beside `blendWeight`; the model keeps 1 − blendWeight − medianWeight.
    public var medianWeight: Double = 0

    /// The weight of each calibration fold's errors relative to the next more recent fold's
    /// (`IntervalCalibration.Settings.recency`; chosen on the folds among `recencies` when there are several).
    public var intervalRecency: Double = 1

    /// One scored point of a calibration fold: the actual and the candidates on the model's scale
    /// (`actual`, `model`, `naive`, `median`) and in QPS (`qps`, `modelQPS`, `naiveQPS`).
    struct Row {
        var lead: Int64
        var actual: Double
        var model: Double
        var naive: Double?
        var median: Double?
        var qps: Double
        var modelQPS: Double
        var naiveQPS: Double?
    }

    /// A blend: the weights of seasonal naive and of the seasonal median (the model has the rest).
    struct Blend: Hashable {
        var naive: Double
        var median: Double
        var partners: Double { naive + median }

        /// On the model's scale; a missing partner is replaced by the model.
        func value(model m: Double, naive n: Double?, median d: Double?) -> Double {
            (1 - naive - median) * m + naive * (n ?? m) + median * (d ?? m)
        }
    }

    /// The blends the folds choose from.
    static func candidates(_ options: ForecastOptions) -> [Blend] {
        var out: [Blend] = []
        for n in Set(options.blendWeights).sorted() {
            for m in Set(options.medianBlendWeights + [0]).sorted() where n + m <= 1 + 1e-9 { out.append(Blend(naive: n, median: m)) }
        }
        return out.isEmpty ? [Blend(naive: 0, median: 0)] : out
    }

    /// The index of the blend to use: among those whose score is within `tolerance` (relative) of
    /// the lowest, the one with the least weight on the partners, then the lowest score, then the
    /// earlier one. nil when no score is finite.
    static func choose(_ blends: [Blend], scores: [Double], tolerance: Double) -> Int? {
        guard let lowest = scores.filter(\.isFinite).min() else { return nil }
        let allowed = lowest * (1 + tolerance) + 1e-9
        var pick: Int?
        for i in blends.indices where scores[i] <= allowed {
            guard let p = pick else { pick = i; continue }
            if blends[i].partners < blends[p].partners - 1e-9
                || (abs(blends[i].partners - blends[p].partners) <= 1e-9 && scores[i] < scores[p] - 1e-9) { pick = i }
        }
        return pick
    }

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
        func inverse(_ v: Double) -> Double { ForecastModel.inverse(v, floor: scale.floor, offset: scale.offset) }
        let horizon = Backtest.defaultHorizon(for: series)

        // The folds, cut once; each candidate penalty is fitted on each.
        var cuts: [(origin: Int64, train: QPSSeries, test: QPSSeries, naive: [Double?], median: [Double?])] = []
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
            cuts.append((origin, train, test,
                         test.times.map { SeasonalNaive.forecast(history: history, origin: origin, at: $0) },
                         test.times.map { SeasonalNaive.median(history: history, origin: origin, at: $0) }))
        }
        let blends = candidates(options)
        func score(_ scored: [[Row]], _ b: Blend) -> Double {
            var total = 0.0
            for rows in scored {
                var sum = 0.0
                for r in rows {
                    let f = inverse(b.value(model: r.model, naive: r.naive, median: r.median))
                    let d = (abs(r.qps) + abs(f)) / 2
                    if d > 0 { sum += abs(f - r.qps) / d }
                }
                total += rows.isEmpty ? .nan : sum / Double(rows.count) * 100
            }
            return total / Double(scored.count)
        }
        // Per candidate penalty: the fold rows, the best blend and its mean sMAPE; ties go to the
        // earlier candidate penalty. Among the blends, the one with the least weight on the
        // partners whose score is within `blendTolerance` (relative) of the best.
        var best: (penalty: Double, rows: [[Row]], scales: [Double], blend: Blend, score: Double)?
        let penalties = options.changepointPenalties.isEmpty ? [options.changepointPenalty] : options.changepointPenalties
        for penalty in penalties {
            var inner = options
            inner.calibrationFolds = 0
            inner.changepointPenalty = penalty
            var scored: [[Row]] = []
            var scales: [Double] = []
            for cut in cuts {
                guard let foldModel = try? ForecastModel.fit(cut.train, events: events, options: inner, source: source) else { break }
                if options.interval.localScale { scales.append(residualSpread(foldModel, series, before: cut.origin, span: horizon)) }
                let forecast = foldModel.forecast(at: cut.test.times)
                scored.append(cut.test.times.indices.map { i in
                    Row(lead: cut.test.times[i] - cut.origin, actual: transform(cut.test.values[i]), model: transform(forecast[i].value),
                        naive: cut.naive[i].map(transform), median: cut.median[i].map(transform),
                        qps: cut.test.values[i], modelQPS: forecast[i].value, naiveQPS: cut.naive[i])
                })
            }
            guard !scored.isEmpty else { break }
            let scores = blends.map { score(scored, $0) }
            guard let pick = choose(blends, scores: scores, tolerance: options.blendTolerance) else { continue }
            if scores[pick] < (best?.score ?? .infinity) - 1e-9 { best = (penalty, scored, scales, blends[pick], scores[pick]) }
        }
        var chosen = options
        if let best { chosen.changepointPenalty = best.penalty }
        let model = try ForecastModel.fit(series, events: events, options: chosen, source: source)
        guard let best else {
            return Forecaster(model: model, blendWeight: 0, calibration: nil, folds: [], foldCoverage80: nil, recent: recent)
        }
        let blend = best.blend
        let scored = best.rows
        let origins = cuts.prefix(scored.count).map(\.origin)
        // The errors of fold k are those of the blend chosen on the other folds (with
        // `crossBlend`), so that the choice itself is out of sample too and does not narrow them.
        let errorsByFold = scored.indices.map { k in
            var b = blend
            if options.interval.crossBlend, scored.count > 1 {
                let others = scored.indices.filter { $0 != k }.map { scored[$0] }
                if let i = choose(blends, scores: blends.map { score(others, $0) }, tolerance: options.blendTolerance) { b = blends[i] }
            }
            return scored[k].map { (lead: $0.lead, error: $0.actual - b.value(model: $0.model, naive: $0.naive, median: $0.median)) }
        }
        // With a local scale, fold k's errors are carried to the spread of the residuals just before
        // the origin they are used for (the end of the history; fold j's for the check on fold j).
        let foldScales = best.scales.count == errorsByFold.count ? best.scales : []
        func carried(_ k: Int, to target: Double?) -> [(lead: Int64, error: Double)] {
            guard let target, !foldScales.isEmpty, foldScales[k] > 0, target > 0 else { return errorsByFold[k] }
            let ratio = min(3, max(1.0 / 3, target / foldScales[k]))
            return errorsByFold[k].map { ($0.lead, $0.error * ratio) }
        }
        let finalScale = foldScales.isEmpty ? nil : residualSpread(model, series, before: last + 1, span: horizon)
        let fitted = FoldCalibration(folds: errorsByFold.count, horizon: horizon, settings: options.interval) { k, j in
            carried(k, to: j.map { foldScales.isEmpty ? nil : foldScales[$0] } ?? finalScale)
        }
        let folds = zip(origins, scored).map { origin, rows in
            let naiveRows = rows.compactMap { r in r.naiveQPS.map { (r.qps, $0) } }
            return Fold(origin: origin, end: origin + horizon,
                        smapeModel: smape(rows.map { ($0.qps, $0.modelQPS) }),
                        smapeSeasonalNaive: naiveRows.isEmpty ? nil : smape(naiveRows),
                        smapeBlend: smape(rows.map { ($0.qps, inverse(blend.value(model: $0.model, naive: $0.naive, median: $0.median))) }))
        }
        return Forecaster(model: model, blendWeight: blend.naive, calibration: fitted.calibration, folds: folds,
                          foldCoverage80: fitted.coverage80, recent: recent, changepointPenalty: chosen.changepointPenalty,
                          medianWeight: blend.median, intervalRecency: fitted.recency)
    }

    /// The spread (90 % − 10 % quantile) of `model`'s residuals on the model's scale over the
    /// `span` of `series` before `origin` (at most 5,000 points of it): how noisy the history was
    /// just before a forecast starts.
    static func residualSpread(_ model: ForecastModel, _ series: QPSSeries, before origin: Int64, span: Int64) -> Double {
        var window = series.slice(from: origin - span, to: origin)
        if window.count > 5_000 { window = window.thinned(keepingEvery: (window.count + 4_999) / 5_000) }
        guard window.count >= 10 else { return 0 }
        let fitted = model.forecast(at: window.times)
        let residuals = zip(window.values, fitted).map { model.transform($0) - model.transform($1.value) }.sorted()
        return IntervalCalibration.quantile(residuals, 0.9) - IntervalCalibration.quantile(residuals, 0.1)
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
            if blendWeight > 0 || medianWeight > 0 {
                // The event's lift applies to the partners too: the weeks before did not have the event.
                let origin = model.trainingEnd + 1
                let naive = blendWeight > 0 ? SeasonalNaive.forecast(history: recent, origin: origin, at: point.time).map { model.transform($0) + (effect?.log ?? 0) } : nil
                let median = medianWeight > 0 ? SeasonalNaive.median(history: recent, origin: origin, at: point.time).map { model.transform($0) + (effect?.log ?? 0) } : nil
                center = Blend(naive: blendWeight, median: medianWeight).value(model: center, naive: naive, median: median)
            }
            let lead = point.time - model.trainingEnd
            let b = calibration.bounds(lead: lead, extraVariance: effect?.variance ?? 0)
            // A bound at or below the scale's zero (log of the floor) is 0 QPS: zeros are covered (`inverse`).
            return ForecastPoint(time: point.time, value: model.inverse(center),
                                 lower80: model.inverse(center + b[1]), upper80: model.inverse(center + b[2]),
                                 lower95: model.inverse(center + b[0]), upper95: model.inverse(center + b[3]))
        }
    }

    /// How the forecast was made, for the report.
    public var summary: String {
        guard calibration != nil else { return "the model alone; intervals from its residuals (no calibration folds)" }
        let recentWins = folds.filter { ($0.smapeSeasonalNaive ?? .infinity) < $0.smapeModel }.count
        func percent(_ w: Double) -> Int { Int((w * 100).rounded()) }
        var blend: String
        switch blendWeight {
        case 0: blend = "the model alone (seasonal naive won \(recentWins) of \(folds.count) recent folds)"
        case 1: blend = "seasonal naive alone: it won \(recentWins) of \(folds.count) recent folds"
        default: blend = "blended \(percent(blendWeight)) % towards seasonal naive (it won \(recentWins) of \(folds.count) recent folds)"
        }
        if medianWeight > 0 {
            blend = medianWeight >= 1 ? "the median of the last four weeks alone (seasonal naive won \(recentWins) of \(folds.count) recent folds)"
                : blend.replacingOccurrences(of: "the model alone", with: "the model") + "; \(percent(medianWeight)) % towards the median of the last four weeks"
        }
        return blend + String(format: "; changepoint penalty %g", changepointPenalty) + "; intervals calibrated on \(folds.count) folds' errors"
            + (intervalRecency < 1 ? String(format: " (each fold weighted %g of the next more recent)", intervalRecency) : "")
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
