import Foundation

extension CronExpression {
    /// How far ahead (or back) a search for a fire time goes before it gives up: 8 years and 2 days,
    /// enough to find every February 29 (2096 to 2104 skips 2100) and to stop on `0 0 30 2 *`.
    public static let searchLimitDays = 8 * 366 + 2

    /// The first fire time strictly after `date`, read in `timeZone`; nil when the expression never
    /// fires within ``searchLimitDays`` (for example `0 0 30 2 *`).
    ///
    /// A wall time skipped by a spring-forward change fires once, at the instant of the change;
    /// a wall time repeated by a fall-back change fires once, at its first occurrence.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let clock = ZoneClock(timeZone)
        let afterWall = clock.wallSeconds(of: date)
        // A wall time this far before `date`'s wall time cannot map to an instant after `date`
        // (UTC offsets never move by more than a few hours at once). This only saves work.
        let earliestUsefulWall = afterWall - 4 * 3600
        var day = CivilDays.floorDiv(afterWall, 86_400)
        let lastDay = day + Self.searchLimitDays
        while day <= lastDay {
            let (year, month, dayOfMonth) = CivilDays.date(day)
            guard months.contains(month) else {
                day = CivilDays.number(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1)
                continue
            }
            if matchesDay(month: month, day: dayOfMonth, weekday: CivilDays.weekday(day)) {
                for hour in hours.values {
                    for minute in minutes.values {
                        let wall = day * 86_400 + hour * 3600 + minute * 60
                        guard wall >= earliestUsefulWall else { continue }
                        let fire = clock.instant(ofWall: wall)
                        if fire > date { return fire }
                    }
                }
            }
            day += 1
        }
        return nil
    }

    /// The last fire time strictly before `date`, read in `timeZone`; nil when there is none within
    /// ``searchLimitDays``. The mirror of ``next(after:in:)``, with the same daylight-saving rules.
    public func previous(before date: Date, in timeZone: TimeZone) -> Date? {
        let clock = ZoneClock(timeZone)
        let beforeWall = clock.wallSeconds(of: date)
        let latestUsefulWall = beforeWall + 4 * 3600
        var day = CivilDays.floorDiv(beforeWall, 86_400) + 1
        let lastDay = day - Self.searchLimitDays
        while day >= lastDay {
            let (year, month, dayOfMonth) = CivilDays.date(day)
            guard months.contains(month) else {
                day = CivilDays.number(year: year, month: month, day: 1) - 1
                continue
            }
            if matchesDay(month: month, day: dayOfMonth, weekday: CivilDays.weekday(day)) {
                for hour in hours.values.reversed() {
                    for minute in minutes.values.reversed() {
                        let wall = day * 86_400 + hour * 3600 + minute * 60
                        guard wall <= latestUsefulWall else { continue }
                        let fire = clock.instant(ofWall: wall)
                        if fire < date { return fire }
                    }
                }
            }
            day -= 1
        }
        return nil
    }

    /// The next `count` fire times after `date`, ascending; fewer when the expression runs out.
    public func upcoming(after date: Date, count: Int, in timeZone: TimeZone) -> [Date] {
        var fires: [Date] = []
        var cursor = date
        while fires.count < count, let fire = next(after: cursor, in: timeZone) {
            fires.append(fire)
            cursor = fire
        }
        return fires
    }
}
