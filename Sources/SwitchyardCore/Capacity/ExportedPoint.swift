import Foundation

/// One step of the fitted history or of the forecast, for `yard forecast --points FILE`.
///
/// `yhat` and the bounds are QPS. On the history they are the model's in-sample fit with its
/// residual quantiles; on the horizon, the forecast the report's peak is read from (blended with
/// seasonal naive when the forecaster chose to, intervals calibrated on its backtest folds).
/// The parts are the model's: `trend` in QPS, `daily` (weekend days' shape included), `weekly`,
/// `yearly` and `eventLift` (past events on the history, the coming event on the horizon) as
/// multipliers, so that trend × daily × weekly × yearly × eventLift is the model's own forecast
/// (before the offset for zeros is taken off and before any blend with seasonal naive).
public struct ExportedPoint: Sendable, Hashable, Codable {
    @ISO8601Time public var timestamp: Int64
    /// What happened (history rows only).
    public var actual: Double?
    public var yhat: Double
    public var lower80: Double
    public var upper80: Double
    public var lower95: Double
    public var upper95: Double
    public var trend: Double
    public var daily: Double
    public var weekly: Double
    public var yearly: Double
    public var eventLift: Double

    public static let columns = ["timestamp", "actual", "yhat", "lower80", "upper80", "lower95", "upper95",
                                 "trend", "daily", "weekly", "yearly", "eventLift"]

    /// Every point of `history` (fitted) then every point of `forecast`.
    public static func points(forecaster: Forecaster, history: QPSSeries, forecast: [ForecastPoint], target: TargetEffect?) -> [ExportedPoint] {
        let model = forecaster.model
        var out: [ExportedPoint] = []
        out.reserveCapacity(history.count + forecast.count)
        let q = model.residualQuantiles
        for i in 0..<history.count {
            let t = history.times[i]
            let c = model.components(at: t)
            let fit = c.trend + c.daily + c.weekly + c.yearly + c.events
            out.append(ExportedPoint(timestamp: t, actual: history.values[i], yhat: model.inverse(fit),
                                     lower80: model.inverse(fit + q[1]), upper80: model.inverse(fit + q[2]),
                                     lower95: model.inverse(fit + q[0]), upper95: model.inverse(fit + q[3]),
                                     trend: exp(c.trend), daily: exp(c.daily), weekly: exp(c.weekly), yearly: exp(c.yearly),
                                     eventLift: exp(c.events)))
        }
        for point in forecast {
            let c = model.components(at: point.time)
            let lift = c.events + (target?.effect(at: point.time).log ?? 0)
            out.append(ExportedPoint(timestamp: point.time, actual: nil, yhat: point.value,
                                     lower80: point.lower80, upper80: point.upper80, lower95: point.lower95, upper95: point.upper95,
                                     trend: exp(c.trend), daily: exp(c.daily), weekly: exp(c.weekly), yearly: exp(c.yearly),
                                     eventLift: exp(lift)))
        }
        return out
    }

    /// CSV with a header of `columns`; an empty `actual` on the horizon.
    public static func csv(_ points: [ExportedPoint]) -> String {
        var text = columns.joined(separator: ",") + "\n"
        text.reserveCapacity(points.count * 120)
        func n(_ v: Double) -> String { v.isFinite ? String((v * 10_000).rounded() / 10_000) : "" }
        for p in points {
            text += CivilTime.iso8601(seconds: p.timestamp)
            text += "," + (p.actual.map(n) ?? "")
            for v in [p.yhat, p.lower80, p.upper80, p.lower95, p.upper95, p.trend, p.daily, p.weekly, p.yearly, p.eventLift] {
                text += "," + n(v)
            }
            text += "\n"
        }
        return text
    }

    /// A JSON array of objects with the keys of `columns` (`actual` is null on the horizon).
    public static func json(_ points: [ExportedPoint]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(points)
    }
}
