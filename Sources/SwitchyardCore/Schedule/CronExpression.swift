/// A five-field cron expression (minute hour day-of-month month day-of-week) or a macro such as
/// `@daily`, parsed into the sets of values each field matches.
///
/// Day-of-month and day-of-week combine as Vixie cron does: when both fields are restricted
/// (neither starts with `*`), a day matches if either matches; otherwise both must match.
/// Fire times are computed in a time zone by ``next(after:in:)``.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as written, macros included.
    public let source: String
    let minutes: BitSet
    let hours: BitSet
    let daysOfMonth: BitSet
    let months: BitSet
    /// 0 = Sunday ... 6 = Saturday (a written 7 is folded into 0).
    let daysOfWeek: BitSet
    /// The day-of-month field does not start with `*`.
    public let restrictsDayOfMonth: Bool
    /// The day-of-week field does not start with `*`.
    public let restrictsDayOfWeek: Bool

    public var description: String { source }

    /// Values each field matches, ascending (day-of-week 0...6, Sunday 0).
    public func values(of field: CronField) -> [Int] {
        switch field {
        case .minute: minutes.values
        case .hour: hours.values
        case .dayOfMonth: daysOfMonth.values
        case .month: months.values
        case .dayOfWeek: daysOfWeek.values
        }
    }

    /// Whether the expression fires on this calendar day (month, day-of-month, day-of-week).
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let domMatch = daysOfMonth.contains(day)
        let dowMatch = daysOfWeek.contains(weekday)
        if restrictsDayOfMonth && restrictsDayOfWeek { return domMatch || dowMatch }
        return domMatch && dowMatch
    }

    /// Whether the expression fires at this local date and time.
    public func matches(_ local: LocalDateTime) -> Bool {
        let day = CivilDays.number(year: local.year, month: local.month, day: local.day)
        return minutes.contains(local.minute) && hours.contains(local.hour)
            && matchesDay(month: local.month, day: local.day, weekday: CivilDays.weekday(day))
    }
}

/// A set of small non-negative integers (0...63).
struct BitSet: Sendable, Hashable {
    var bits: UInt64 = 0

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }
    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    var values: [Int] { (0..<64).filter(contains) }
    var isEmpty: Bool { bits == 0 }
}
