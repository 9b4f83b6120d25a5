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
        /// The coming event; nil forecasts `horizonSeconds` (default 14 days) without one.
        public var target: TargetEvent?
        public var horizonSeconds: Int64?
        public var headroom: Ratio
        public var targetUtilisation: Ratio
        public var surviveZoneLoss: Bool
        public var perInstanceQPS: Double
        /// Where `perInstanceQPS` comes from, for the report (the plan, the topology, a measurement).
        public var perInstanceBasis: String?
        public var zones: [String]
        public var replicasNow: [Int]
        public var options: ForecastOptions
        public var backtestFolds: Int
        /// The caller's clock, to reject a history that ends in the future; nil skips the check.
        public var now: Int64?

        public init(name: String, series: QPSSeries, source: String, events: [PastEvent], target: TargetEvent?, horizonSeconds: Int64? = nil,
                    headroom: Ratio = .percent(20), targetUtilisation: Ratio = .percent(70), surviveZoneLoss: Bool = true,
                    perInstanceQPS: Double, zones: [String], replicasNow: [Int], options: ForecastOptions = ForecastOptions(),
                    backtestFolds: Int = 3, now: Int64? = nil) {
            self.name = name
            self.series = series
            self.source = source
            self.events = events
            self.target = target
            self.horizonSeconds = horizonSeconds
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
            perInstanceBasis = plan.perInstanceQPS != nil ? "perInstanceQPS of capacity plan \(plan.name)"
                : "capacityQPS of service \(service.name) in its topology"
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

    /// What `compute` returns: the report, and every step of the fitted history and of the
    /// forecast when they were asked for (`--points`).
    public struct Outcome: Sendable {
        public var report: ForecastReport
        public var points: [ExportedPoint]
    }

    /// Runs every step; `progress` hears about the long ones (for stderr).
    public static func run(_ request: Request, progress: (String) -> Void = { _ in }) throws(Failure) -> ForecastReport {
        try compute(request, exportPoints: false, progress: progress).report
    }

    public static func compute(_ request: Request, exportPoints: Bool, progress: (String) -> Void = { _ in }) throws(Failure) -> Outcome {
        let series = request.series
        guard let first = series.first, let last = series.last else { throw .history(.empty(source: request.source)) }
        if let now = request.now, last > now {
            throw .history(.endsInTheFuture(source: request.source, last: CivilTime.format(seconds: last), now: CivilTime.format(seconds: now)))
        }
        let events = request.events.map(EventWindow.init)
        if let target = request.target {
            let targetDay = CivilTime.seconds(LocalDateTime(year: target.start.year, month: target.start.month, day: target.start.day))
            guard targetDay > last else {
                throw .history(.targetNotAfterHistory(target: target.start.description, last: CivilTime.format(seconds: last)))
            }
        }
        progress("fitting \(series.count) points (\(CivilTime.format(seconds: first)) .. \(CivilTime.format(seconds: last)))")
        let forecaster: Forecaster
        do { forecaster = try Forecaster.fit(series, events: events, options: request.options, source: request.source) } catch {
            throw .history(error)
        }
        let model = forecaster.model
        progress("forecast: \(forecaster.summary)")
        let effect: TargetEffect?
        let windowStart: Int64, windowEnd: Int64, eventStart: Int64, eventEnd: Int64, basis: String, targetName: String
        if let target = request.target {
            let made = TargetEffect.make(for: target, model: model)
            effect = made
            (windowStart, windowEnd) = (made.window.startSeconds, made.window.endSeconds)
            (eventStart, eventEnd) = (made.window.eventStartSeconds, made.window.eventEndSeconds)
            basis = made.basis
            targetName = target.name
        } else {
            let horizon = max(model.step, request.horizonSeconds ?? 14 * CivilTime.secondsPerDay)
            effect = nil
            (windowStart, windowEnd) = (last + 1, last + 1 + horizon)
            (eventStart, eventEnd) = (windowStart, windowEnd)
            basis = "no event: the ordinary forecast over the next \(TimeSpan.seconds(horizon))"
            targetName = "horizon"
        }
        progress("forecasting to \(CivilTime.format(seconds: windowEnd))")
        let forecast = forecaster.forecast(at: model.futureTimes(through: windowEnd), target: effect)
        let inWindow = forecast.filter { $0.time >= windowStart && $0.time < windowEnd }
        // The ordinary day: the busiest of the 7 days before the event's window, without the event;
        // without an event, the horizon itself.
        let ordinary: [ForecastPoint]
        if effect == nil {
            ordinary = inWindow
        } else {
            var ordinaryTimes: [Int64] = []
            var t = windowStart - 7 * CivilTime.secondsPerDay
            while t < windowStart { ordinaryTimes.append(t); t += model.step }
            ordinary = forecaster.forecast(at: ordinaryTimes)
        }
        guard let peak = inWindow.max(by: { $0.value < $1.value }), let ordinaryPeak = ordinary.max(by: { $0.value < $1.value }) else {
            throw .history(.backend(source: request.source, message: "no forecast point falls in the target window"))
        }
        let peakUpper = inWindow.map(\.upper95).max() ?? peak.upper95
        let ordinaryUpper = ordinary.map(\.upper95).max() ?? ordinaryPeak.upper95
        let capacity: ZoneCapacityPlan
        do {
            var input = ZoneCapacityPlan.Input(peakQPS: peakUpper, ordinaryQPS: ordinaryUpper, headroom: request.headroom,
                                               targetUtilisation: request.targetUtilisation, perInstanceQPS: request.perInstanceQPS,
                                               zones: request.zones, replicasNow: request.replicasNow, surviveZoneLoss: request.surviveZoneLoss)
            input.perInstanceBasis = request.perInstanceBasis
            capacity = try ZoneCapacityPlan.plan(input)
        } catch { throw .capacity(error) }
        var backtest = Backtest(horizonSeconds: 0, folds: [], note: "not run")
        if request.backtestFolds > 0 {
            backtest = Backtest.run(series, events: events, options: request.options, folds: request.backtestFolds, progress: progress)
        }
        let gaps = series.gaps()
        let chartHistory = ReportChart.downsample(history: series)
        var report = ForecastReport(
            name: request.name,
            history: .init(source: request.source, points: series.count, first: first, last: last, stepSeconds: model.step,
                           gaps: gaps.count, longestGapSeconds: gaps.map(\.length).max() ?? 0),
            model: .init(forecaster),
            target: .init(name: targetName, windowStart: windowStart, windowEnd: windowEnd,
                          eventStart: eventStart, eventEnd: eventEnd, basis: basis),
            peak: peak, peakUpper95: peakUpper, ordinaryPeak: ordinaryPeak, ordinaryUpper95: ordinaryUpper,
            capacity: capacity, backtest: backtest,
            chartHistory: chartHistory,
            chartForecast: ReportChart.downsample(forecast))
        report.chartFit = chartHistory.map { point in
            let c = model.components(at: point.time)
            let fit = model.inverse(c.trend + c.daily + c.weekly + c.yearly + c.events)
            return ForecastPoint(time: point.time, value: fit, lower80: fit, upper80: fit, lower95: fit, upper95: fit)
        }
        report.chartEvents = events.map {
            ReportChart.chartEvent($0)
        }
        report.warnings = ReportChart.ordinaryDayWarning(capacity).map { [$0] } ?? []
        let points = exportPoints ? ExportedPoint.points(forecaster: forecaster, history: series, forecast: forecast, target: effect) : []
        return Outcome(report: report, points: points)
    }
}
