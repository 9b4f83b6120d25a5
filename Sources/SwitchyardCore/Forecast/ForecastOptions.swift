/// The knobs of the model. The defaults are what the backtests in `bench/forecast/` were run with.
public struct ForecastOptions: Sendable, Hashable, Codable {
    /// At most this many changepoints, placed on the observed points of the first part of the history.
    public var changepoints = 25
    /// The share of the history (by points) where changepoints may sit; the rest is the recent
    /// trend, fitted without new changes.
    public var changepointRange = 0.8
    /// Ridge penalty on the slope changes, relative to the mean squared error on log QPS:
    /// larger values give a stiffer trend that does not chase noise.
    public var changepointPenalty = 3e-4
    public var seasonalityPenalty = 1e-6
    public var eventPenalty = 1e-6
    public var dailyOrder = 6
    public var weekendDailyOrder = 3
    public var weeklyOrder = 3
    public var yearlyOrder = 10
    /// Yearly seasonality needs this much history (days).
    public var yearlyMinimumDays = 548.0
    /// One reweighting pass with Huber weights (k = 1.5 robust standard deviations), so that
    /// outages and unexplained spikes do not drag the fit.
    public var robust = true
    public var huberK = 1.5
    /// Days of history required at least.
    public var minimumDays = 2.0
    public var minimumPoints = 10

    public init() {}
}
