/// The days an event moves, counted in day offsets from its first day: `-daysBefore` up to
/// `days - 1 + daysAfter`. The event covers the days from its start's date through its end's
/// date; an end at exactly midnight after the start is exclusive (`2025-11-11` to `2025-11-12`
/// is one day).
public struct EventWindow: Sendable, Hashable, Codable {
    public var name: String
    /// Day index (days since 1970-01-01) of the event's first day.
    public var firstDay: Int64
    /// Days of the event itself (at least 1).
    public var days: Int
    public var daysBefore: Int
    public var daysAfter: Int

    public init(name: String, firstDay: Int64, days: Int, daysBefore: Int, daysAfter: Int) {
        self.name = name
        self.firstDay = firstDay
        self.days = max(1, days)
        self.daysBefore = max(0, daysBefore)
        self.daysAfter = max(0, daysAfter)
    }

    public init(name: String, start: LocalDateTime, end: LocalDateTime, daysBefore: Int, daysAfter: Int) {
        let first = CivilTime.days(year: start.year, month: start.month, day: start.day)
        var last = CivilTime.days(year: end.year, month: end.month, day: end.day)
        if end.hour == 0, end.minute == 0, last > first { last -= 1 }
        self.init(name: name, firstDay: first, days: Int(max(0, last - first)) + 1, daysBefore: daysBefore, daysAfter: daysAfter)
    }

    public init(_ event: PastEvent) {
        self.init(name: event.name, start: event.start, end: event.end, daysBefore: event.daysBefore, daysAfter: event.daysAfter)
    }

    /// Number of day offsets, hence of coefficients.
    public var width: Int { daysBefore + days + daysAfter }
    public var offsets: ClosedRange<Int> { -daysBefore...(days - 1 + daysAfter) }
    public var startSeconds: Int64 { (firstDay - Int64(daysBefore)) * CivilTime.secondsPerDay }
    /// End of the window (exclusive), in seconds.
    public var endSeconds: Int64 { (firstDay + Int64(days + daysAfter)) * CivilTime.secondsPerDay }
    public var eventStartSeconds: Int64 { firstDay * CivilTime.secondsPerDay }
    public var eventEndSeconds: Int64 { (firstDay + Int64(days)) * CivilTime.secondsPerDay }

    /// The index (0..<width) of a day inside the window, nil outside.
    public func slot(day: Int64) -> Int? {
        let offset = Int(day - firstDay)
        return offsets.contains(offset) ? offset + daysBefore : nil
    }

    /// Where a day offset of another (target) window of `days` days falls in this one:
    /// days before map to days before, the event's days to its days (the last one repeats when the
    /// target is longer), days after to days after. Nil when this window has no such day.
    public func slot(matching offset: Int, targetDays: Int) -> Int? {
        if offset < 0 { return -offset <= daysBefore ? daysBefore + offset : nil }
        if offset < targetDays { return daysBefore + min(offset, days - 1) }
        let after = offset - targetDays
        return after < daysAfter ? daysBefore + days + after : nil
    }
}
