/// The knobs of the model. The defaults were chosen across the ten shared series of `data/qps/`
/// on the backtest folds before the protocol's hold-out (`yard forecast-bench --tune`), never on
/// a hold-out; `bench/forecast/README.md` gives the figures.
public struct ForecastOptions: Sendable, Hashable, Codable {
    /// At most this many changepoints, placed on the observed points of the first part of the history.
    public var changepoints = 25
    /// The share of the history (by points) where changepoints may sit; the rest is the recent
    /// trend, fitted without new changes.
    public var changepointRange = 0.8
    /// Ridge penalty on the slope changes, relative to the mean squared error on log QPS:
    /// larger values give a stiffer trend that does not chase noise.
    public var changepointPenalty = 0.1
    /// When not empty, the calibration folds choose the changepoint penalty among these (the
    /// history's own folds decide whether its trend bends or stays stiff).
    public var changepointPenalties: [Double] = []
    public var seasonalityPenalty = 1e-6
    public var eventPenalty = 1e-6
    public var dailyOrder = 6
    public var weekendDailyOrder = 3
    public var weeklyOrder = 3
    public var yearlyOrder = 10
    /// Yearly seasonality needs this much history (days).
    public var yearlyMinimumDays = 548.0
    /// One reweighting pass with Huber weights (k robust standard deviations), so that outages,
    /// bursts and holiday-like days do not drag the fit.
    public var robust = true
    public var huberK = 1.0
    /// Zeros and very low counts: the model is fitted to log(qps + c) with c = this share of the
    /// median of the history (at least half the smallest positive value), so that a zero or a
    /// count of 1 is a low point, not a fall towards −∞.
    public var offsetShare = 0.0
    /// Backtest folds inside the training history that choose the blend with seasonal naive and
    /// calibrate the intervals (0: neither, the model's own residual intervals).
    public var calibrationFolds = 3
    /// The weights of seasonal naive the calibration folds choose from (0: the model alone).
    public var blendWeights = [0.0, 0.25, 0.5, 0.75, 1.0]
    /// The weights of the seasonal median (the last four weeks' median) the folds choose from,
    /// beside seasonal naive's (a pair whose sum exceeds 1 is skipped).
    public var medianBlendWeights = [0.0, 0.25, 0.5, 0.75, 1.0]
    /// Among blends within this share of the best fold sMAPE, the one with the least weight on
    /// the partners (the model is preferred over a blend that wins the folds by noise).
    public var blendTolerance = 0.02
    /// How the calibration folds' errors become interval widths (see `IntervalCalibration`).
    public var interval = IntervalCalibration.Settings()
    /// Above this many points the calibration folds fit on every k-th point (the fit of ~100
    /// columns does not need more), so that calibration costs a fraction of the main fit.
    public var calibrationPointLimit = 20_000
    /// Above twice this many points, the first (unweighted) fit, whose only use is the robust
    /// weights, and the residual quantiles of the final fit read every k-th point (this many at
    /// least); the final, weighted fit reads every point. The shared series are all below it.
    public var exactPointLimit = 100_000
    /// Days of history required at least.
    public var minimumDays = 2.0
    public var minimumPoints = 10

    public init() {}
}
