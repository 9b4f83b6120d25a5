import Foundation

/// Answers "is this instant inside a blackout?" for a schedule's blackouts, read in its time zone.
///
/// - `.range`: from inclusive, to exclusive, both local date-times in the zone.
/// - `.weekly`: on each listed day, from `from` (inclusive) to `to` (exclusive) local time; when `to`
///   is not after `from` the window passes midnight and ends on the next day (`fri 22:00-06:00`
///   covers Friday night into Saturday morning). `from == to` is a full 24 hours.
///
/// Comparisons are on the local wall clock, so during a repeated fall-back hour both occurrences of
/// a wall time are treated alike.
public struct BlackoutCalendar: Sendable, Hashable {
    public var blackouts: [Blackout]
    public var timeZone: TimeZone

    public init(blackouts: [Blackout], timeZone: TimeZone) {
        self.blackouts = blackouts
        self.timeZone = timeZone
    }

    /// The first blackout, in the order written, that contains `date`; nil when drills may run.
    public func blackout(containing date: Date) -> Blackout? {
        let wall = ZoneClock(timeZone).wallSeconds(of: date)
        return blackouts.first { Self.contains($0, wall: wall) }
    }

    static func contains(_ blackout: Blackout, wall: Int) -> Bool {
        switch blackout {
        case .range(_, let from, let to):
            return ZoneClock.wallSeconds(of: from) <= wall && wall < ZoneClock.wallSeconds(of: to)
        case .weekly(_, let days, let from, let to):
            let day = CivilDays.floorDiv(wall, 86_400)
            let secondOfDay = wall - day * 86_400
            let start = from.minutes * 60
            var end = to.minutes * 60
            if end <= start { end += 86_400 }
            let indices = Set(days.map(\.index))
            // The window that started today, or the one that started yesterday and runs past midnight.
            if indices.contains(CivilDays.weekday(day)), start <= secondOfDay, secondOfDay < end { return true }
            if indices.contains(CivilDays.weekday(day - 1)), start <= secondOfDay + 86_400, secondOfDay + 86_400 < end { return true }
            return false
        }
    }
}
