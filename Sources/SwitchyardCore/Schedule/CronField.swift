/// The five fields of a cron expression, in the order they are written.
public enum CronField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case minute, hour, dayOfMonth = "day-of-month", month, dayOfWeek = "day-of-week"

    /// Values a field accepts as written (day-of-week accepts 7 for Sunday).
    public var writtenRange: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Names a field accepts in place of numbers, lowercased, with their values.
    var names: [String: Int] {
        switch self {
        case .month:
            ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
             "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
        case .dayOfWeek:
            ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        default: [:]
        }
    }

    public var description: String { rawValue }
}
