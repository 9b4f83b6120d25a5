import Foundation

/// Converts between instants and wall-clock times of one time zone, with the schedule engine's
/// daylight-saving rules:
///
/// - a wall time that does not exist (skipped by a spring-forward change) maps to the instant of
///   the change, so it runs once, right after the clocks jump;
/// - a wall time that happens twice (the repeated hour of a fall-back change) maps to its first
///   occurrence.
///
/// Wall times are counted as "wall seconds": seconds since 1970-01-01T00:00 read on the local clock.
/// The mapping from wall seconds to instants never decreases, which is what lets the cron scan
/// stop at the first match.
struct ZoneClock: Sendable {
    let timeZone: TimeZone

    init(_ timeZone: TimeZone) { self.timeZone = timeZone }

    /// UTC offset in seconds at an instant given in seconds since 1970.
    func offset(at instant: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
    }

    /// The wall seconds shown by the local clock at `date`, rounded down to the whole second.
    func wallSeconds(of date: Date) -> Int {
        let instant = Int(date.timeIntervalSince1970.rounded(.down))
        return instant + offset(at: instant)
    }

    /// The local date and time at `date`, to the minute (seconds dropped).
    func localDateTime(of date: Date) -> LocalDateTime {
        Self.localDateTime(wallSeconds: wallSeconds(of: date))
    }

    static func localDateTime(wallSeconds: Int) -> LocalDateTime {
        let day = CivilDays.floorDiv(wallSeconds, 86_400)
        let secondOfDay = wallSeconds - day * 86_400
        let (year, month, dayOfMonth) = CivilDays.date(day)
        return LocalDateTime(year: year, month: month, day: dayOfMonth, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60)
    }

    static func wallSeconds(of local: LocalDateTime) -> Int {
        CivilDays.number(year: local.year, month: local.month, day: local.day) * 86_400 + local.hour * 3600 + local.minute * 60
    }

    /// The instant at which the local clock shows `wall`, with the DST rules above.
    func instant(ofWall wall: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(instantSeconds(ofWall: wall)))
    }

    func instant(of local: LocalDateTime) -> Date { instant(ofWall: Self.wallSeconds(of: local)) }

    func instantSeconds(ofWall wall: Int) -> Int {
        // The offsets in force a day either side; a zone changes offset at most once in two days.
        let before = offset(at: wall - 86_400)
        let after = offset(at: wall + 86_400)
        let candidates = (before == after ? [before] : [before, after])
            .map { wall - $0 }
            .filter { wall - offset(at: $0) == $0 }
        if let earliest = candidates.min() { return earliest }
        guard before < after else { return wall - before }
        // A gap: the clock jumped from `before` to `after` between these two instants. Find the change.
        var low = wall - after   // still on the old offset
        var high = wall - before // already on the new offset
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == after { high = middle } else { low = middle }
        }
        return high
    }
}
