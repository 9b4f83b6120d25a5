import Foundation

/// One upcoming run of a schedule, as `yard drill schedule` shows it.
public struct UpcomingRun: Sendable, Hashable {
    public var fire: Date
    /// `2026-03-08 03:00 -04:00` in the schedule's time zone.
    public var local: String
    /// `2026-03-08 07:00Z`.
    public var utc: String
    /// The blackout the fire time falls in; such a run will be skipped.
    public var blackout: String?
    /// `2026-03-08T03:00:00-04:00`: the fire time in ISO 8601 with the schedule's offset, for JSON.
    public var localISO8601: String
    /// `2026-03-08T07:00:00Z`, for JSON.
    public var utcISO8601: String

    /// The run at `fire` as shown in `timeZone` (the schedule's); also what a client shows of a fire time the daemon sent.
    public init(_ fire: Date, timeZone: TimeZone, blackout: String?) {
        let utc = TimeZone(identifier: "UTC")!
        self.fire = fire
        local = CompiledSchedule.format(fire, in: timeZone, zoneSuffix: true)
        self.utc = CompiledSchedule.format(fire, in: utc, zoneSuffix: false) + "Z"
        self.blackout = blackout
        localISO8601 = CompiledSchedule.iso8601(fire, in: timeZone)
        utcISO8601 = CompiledSchedule.iso8601(fire, in: utc)
    }
}

extension CompiledSchedule {
    public enum BlackoutDisplay: Sendable, Hashable {
        /// List fire times in blackouts too, marked with the blackout's name.
        case mark
        /// Leave them out: list only runs that will start.
        case skip
    }

    /// The next `count` runs after `date` (fewer if the expression runs out, or if more than
    /// `count * 100` fire times in a row are blacked out under `.skip`).
    public func upcomingRuns(after date: Date, count: Int, blackouts display: BlackoutDisplay = .mark) -> [UpcomingRun] {
        var runs: [UpcomingRun] = []
        var cursor = date
        var budget = max(count, 1) * 100
        while runs.count < count, budget > 0, let fire = next(after: cursor) {
            budget -= 1
            cursor = fire
            let blackout = blackout(containing: fire)?.name
            if blackout != nil, display == .skip { continue }
            runs.append(UpcomingRun(fire, timeZone: timeZone, blackout: blackout))
        }
        return runs
    }

    /// Lines for a terminal: `2026-03-08 03:00 -04:00   2026-03-08 07:00Z   blackout: sales-freeze`.
    public func upcomingRunsTable(after date: Date, count: Int, blackouts display: BlackoutDisplay = .mark) -> [String] {
        upcomingRuns(after: date, count: count, blackouts: display).map { run in
            "\(run.local)   \(run.utc)" + (run.blackout.map { "   blackout: \($0)" } ?? "")
        }
    }

    static func format(_ date: Date, in timeZone: TimeZone, zoneSuffix: Bool) -> String {
        let clock = ZoneClock(timeZone)
        let local = ZoneClock.localDateTime(wallSeconds: clock.wallSeconds(of: date))
        var text = String(format: "%04d-%02d-%02d %02d:%02d", local.year, local.month, local.day, local.hour, local.minute)
        if zoneSuffix {
            let offset = timeZone.secondsFromGMT(for: date)
            let magnitude = abs(offset) / 60
            text += (offset < 0 ? " -" : " +") + String(format: "%02d:%02d", magnitude / 60, magnitude % 60)
        }
        return text
    }

    /// ISO 8601 with the zone's offset at that instant (`Z` for UTC); cron fires on whole minutes, so seconds are 00.
    public static func iso8601(_ date: Date, in timeZone: TimeZone) -> String {
        let clock = ZoneClock(timeZone)
        let local = ZoneClock.localDateTime(wallSeconds: clock.wallSeconds(of: date))
        let text = String(format: "%04d-%02d-%02dT%02d:%02d:00", local.year, local.month, local.day, local.hour, local.minute)
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset != 0 else { return text + "Z" }
        let magnitude = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", magnitude / 60, magnitude % 60)
    }
}
