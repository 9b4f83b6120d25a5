import Foundation

/// A whole capacity question, answered purely: fit the history, forecast the target event with
/// intervals, backtest, and turn the upper bound of the peak into replicas per zone.
public struct CapacityForecast: Sendable {
    public struct Request: Sendable {
        public var name: String
        public var series: QPSSeries
        /// Where the series came from (a file path, a URL), for messages.
        public var source: String
        public var events: [PastEvent]
        public var target: TargetEvent
        public var headroom: Ratio
        public var targetUtilisation: Ratio
        public var surviveZoneLoss: Bool
        public var perInstanceQPS: Double
        public var zones: [String]
        public var replicasNow: [Int]
        public var options: ForecastOptions
        public var backtestFolds: Int
        /// The caller's clock, to reject a history that ends in the future; nil skips the check.
        public var now: Int64?

        public init(name: String, series: QPSSeries, source: String, events: [PastEvent], target: TargetEvent,
                    headroom: Ratio = .percent(20), targetUtilisation: Ratio = .percent(70), surviveZoneLoss: Bool = true,
                    perInstanceQPS: Double, zones: [String], replicasNow: [Int], options: ForecastOptions = ForecastOptions(),
                    backtestFolds: Int = 3, now: Int64? = nil) {
            self.name = name
            self.series = series
            self.source = source
            self.events = events
            self.target = target
            self.headroom = headroom
            self.targetUtilisation = targetUtilisation
            self.surviveZoneLoss = surviveZoneLoss
            self.perInstanceQPS = perInstanceQPS
            self.zones = zones
            self.replicasNow = replicasNow
            self.options = options
            self.backtestFolds = backtestFolds
            self.now = now
        }

        /// From a capacity manifest and its topology's service.
        public init(plan: CapacityPlan, service: Service, series: QPSSeries, source: String, now: Int64? = nil) {
            self.init(name: plan.name, series: series, source: source, events: plan.events, target: plan.target,
                      headroom: plan.headroom, targetUtilisation: plan.targetUtilisation, surviveZoneLoss: plan.surviveZoneLoss,
                      perInstanceQPS: plan.perInstanceQPS ?? service.capacityQPS, zones: service.zones,
                      replicasNow: Array(repeating: service.replicasPerZone, count: service.zones.count), now: now)
        }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case history(HistoryError)
        case capacity(ZoneCapacityPlan.Failure)

        public var description: String {
            switch self {
            case .history(let error): error.description
            case .capacity(let error): error.description
            }
        }
    }

    /// Runs every step; `progress` hears about the long ones (for stderr).
    public static func run(_ request: Request, progress: (String) -> Void = { _ in }) throws(Failure) -> ForecastReport {
        let series = request.series
        guard let first = series.first, let last = series.last else { throw .history(.empty(source: request.source)) }
        if let now = request.now, last > now {
            throw .history(.endsInTheFuture(source: request.source, last: CivilTime.format(seconds: last), now: CivilTime.format(seconds: now)))
        }
        let events = request.events.map(EventWindow.init)
        let targetDay = CivilTime.seconds(LocalDateTime(year: request.target.start.year, month: request.target.start.month, day: request.target.start.day))
        guard targetDay > last else {
            throw .history(.targetNotAfterHistory(target: request.target.start.description, last: CivilTime.format(seconds: last)))
        }
        progress("fitting \(series.count) points (\(CivilTime.format(seconds: first)) .. \(CivilTime.format(seconds: last)))")
        let model: ForecastModel
        do { model = try ForecastModel.fit(series, events: events, options: request.options, source: request.source) } catch {
            throw .history(error)
        }
        let effect = TargetEffect.make(for: request.target, model: model)
        let window = effect.window
        progress("forecasting to \(CivilTime.format(seconds: window.endSeconds))")
        let forecast = model.forecast(at: model.futureTimes(through: window.endSeconds), target: effect)
        let inWindow = forecast.filter { $0.time >= window.startSeconds && $0.time < window.endSeconds }
        // The ordinary day: the busiest of the 7 days before the event's window, without the event.
        let ordinaryStart = window.startSeconds - 7 * CivilTime.secondsPerDay
        var ordinaryTimes: [Int64] = []
        var t = ordinaryStart
        while t < window.startSeconds { ordinaryTimes.append(t); t += model.step }
        let ordinary = model.forecast(at: ordinaryTimes)
        guard let peak = inWindow.max(by: { $0.value < $1.value }), let ordinaryPeak = ordinary.max(by: { $0.value < $1.value }) else {
            throw .history(.backend(source: request.source, message: "no forecast point falls in the target window"))
        }
        let peakUpper = inWindow.map(\.upper95).max() ?? peak.upper95
        let ordinaryUpper = ordinary.map(\.upper95).max() ?? ordinaryPeak.upper95
        let capacity: ZoneCapacityPlan
        do {
            capacity = try ZoneCapacityPlan.plan(.init(peakQPS: peakUpper, ordinaryQPS: ordinaryUpper, headroom: request.headroom,
                                                       targetUtilisation: request.targetUtilisation, perInstanceQPS: request.perInstanceQPS,
                                                       zones: request.zones, replicasNow: request.replicasNow,
                                                       surviveZoneLoss: request.surviveZoneLoss))
        } catch { throw .capacity(error) }
        var backtest = Backtest(horizonSeconds: 0, folds: [], note: "not run")
        if request.backtestFolds > 0 {
            backtest = Backtest.run(series, events: events, options: request.options, folds: request.backtestFolds, progress: progress)
        }
        let gaps = series.gaps()
        return ForecastReport(
            name: request.name,
            history: .init(source: request.source, points: series.count, first: first, last: last, stepSeconds: model.step,
                           gaps: gaps.count, longestGapSeconds: gaps.map(\.length).max() ?? 0),
            model: .init(model),
            target: .init(name: request.target.name, windowStart: window.startSeconds, windowEnd: window.endSeconds,
                          eventStart: window.eventStartSeconds, eventEnd: window.eventEndSeconds, basis: effect.basis),
            peak: peak, peakUpper95: peakUpper, ordinaryPeak: ordinaryPeak, ordinaryUpper95: ordinaryUpper,
            capacity: capacity, backtest: backtest,
            chartHistory: ReportChart.downsample(history: series.slice(from: max(first, last - 8 * 7 * CivilTime.secondsPerDay))),
            chartForecast: ReportChart.downsample(forecast))
    }
}
