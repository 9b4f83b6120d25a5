import Foundation

/// Rolling-origin backtest: for each origin (the most recent first), fit on everything before it,
/// forecast the next `horizon`, and score against what happened; the seasonal-naive forecast is
/// scored on the same windows. Fold 0 is the protocol of `data/qps/README.md` (the last 7 days of a
/// sub-daily series, the last 60 days of a daily one).
public struct Backtest: Sendable, Hashable, Codable {
    public struct Fold: Sendable, Hashable, Codable {
        @ISO8601Time public var origin: Int64
        @ISO8601Time public var end: Int64
        public var model: AccuracyMetrics
        public var seasonalNaive: AccuracyMetrics
        /// The weight of seasonal naive the forecaster chose on its own calibration folds.
        public var blendWeight: Double
        /// The weight of the seasonal median it chose beside it (nil in reports written before it existed).
        public var medianWeight: Double?
        /// The coverage of the 80 % interval the forecaster expected from its calibration folds (%).
        public var expectedCoverage80: Double?
        /// The recency of the calibration folds' errors the forecaster used (`Forecaster.intervalRecency`).
        public var intervalRecency: Double?
        /// The exponent of the interval's widening past the calibration folds' horizon.
        public var intervalGrowth: Double?
    }

    public var horizonSeconds: Int64
    public var folds: [Fold]
    /// All folds' points pooled.
    public var model: AccuracyMetrics?
    public var seasonalNaive: AccuracyMetrics?
    /// Why there are fewer folds than asked, if so.
    public var note: String?

    /// 7 days for a sub-daily history, 60 days for a daily one; never more than a quarter of the history.
    public static func defaultHorizon(for series: QPSSeries) -> Int64 {
        let wanted: Int64 = series.step < 86_400 ? 7 * 86_400 : 60 * 86_400
        guard let first = series.first, let last = series.last else { return wanted }
        return min(wanted, max(series.step, (last - first) / 4))
    }

    public static func run(_ series: QPSSeries, events: [EventWindow] = [], options: ForecastOptions = ForecastOptions(),
                           folds: Int = 3, horizon: Int64? = nil, progress: (String) -> Void = { _ in }) -> Backtest {
        let h = horizon ?? defaultHorizon(for: series)
        var done: [Fold] = []
        var note: String?
        var pooledActual: [Double] = [], pooledForecast: [ForecastPoint] = []
        var naiveActual: [Double] = [], naivePredicted: [Double] = []
        guard let last = series.last else { return Backtest(horizonSeconds: h, folds: [], note: "no history") }
        for k in 0..<folds {
            let origin = last + 1 - Int64(k + 1) * h
            let train = series.slice(to: origin)
            let test = series.slice(from: origin, to: origin + h)
            guard !test.isEmpty else { continue }
            progress("backtest fold \(k + 1)/\(folds): fit before \(CivilTime.format(seconds: origin))")
            let forecaster: Forecaster
            do { forecaster = try Forecaster.fit(train, events: events, options: options, source: "backtest") } catch {
                note = "\(k) of \(folds) folds: the history before fold \(k + 1) is too short (\(error))"
                break
            }
            let model = forecaster.model
            var target: TargetEffect?
            if let event = events.first(where: { $0.endSeconds > origin && $0.startSeconds < origin + h && $0.startSeconds > model.trainingEnd }) {
                let start = CivilTime.localDateTime(seconds: event.eventStartSeconds)
                let end = CivilTime.localDateTime(seconds: event.eventEndSeconds)
                target = TargetEffect.make(for: TargetEvent(name: event.name, start: start, end: end), model: model)
            }
            let forecast = forecaster.forecast(at: test.times, target: target)
            let scored = AccuracyMetrics(actual: test.values, forecast: forecast)
            var na: [Double] = [], np: [Double] = []
            for (t, v) in zip(test.times, test.values) {
                if let f = SeasonalNaive.forecast(history: train, origin: origin, at: t) { na.append(v); np.append(f) }
            }
            pooledActual += test.values; pooledForecast += forecast
            naiveActual += na; naivePredicted += np
            done.append(Fold(origin: origin, end: origin + h, model: scored, seasonalNaive: AccuracyMetrics(actual: na, predicted: np),
                             blendWeight: forecaster.blendWeight, medianWeight: forecaster.medianWeight,
                             expectedCoverage80: forecaster.foldCoverage80, intervalRecency: forecaster.intervalRecency,
                             intervalGrowth: forecaster.calibration?.growthExponent))
        }
        return Backtest(horizonSeconds: h, folds: done,
                        model: pooledActual.isEmpty ? nil : AccuracyMetrics(actual: pooledActual, forecast: pooledForecast),
                        seasonalNaive: naiveActual.isEmpty ? nil : AccuracyMetrics(actual: naiveActual, predicted: naivePredicted),
                        note: note)
    }
}
