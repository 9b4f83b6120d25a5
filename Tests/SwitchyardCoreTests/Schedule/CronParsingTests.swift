import Testing
@testable import SwitchyardCore

struct CronParsingTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var expression: String
        var minutes: [Int], hours: [Int], days: [Int], months: [Int], weekdays: [Int]
        var testDescription: String { expression }
    }

    static let all = Array(0...59)
    static let anyHour = Array(0...23), anyDay = Array(1...31), anyMonth = Array(1...12), anyWeekday = Array(0...6)

    static let valid: [Valid] = [
        Valid(expression: "* * * * *", minutes: all, hours: anyHour, days: anyDay, months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "*/15 9-17 * * mon-fri", minutes: [0, 15, 30, 45], hours: Array(9...17), days: anyDay, months: anyMonth, weekdays: [1, 2, 3, 4, 5]),
        Valid(expression: "10-50/10 0 1,15 * *", minutes: [10, 20, 30, 40, 50], hours: [0], days: [1, 15], months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "0 3 1 1,4,7,10 *", minutes: [0], hours: [3], days: [1], months: [1, 4, 7, 10], weekdays: anyWeekday),
        Valid(expression: "0 0 * JAN-Mar,dec SUN", minutes: [0], hours: [0], days: anyDay, months: [1, 2, 3, 12], weekdays: [0]),
        Valid(expression: "0 0 * * 7", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: [0]),
        Valid(expression: "0 0 * * 5-7", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: [0, 5, 6]),
        Valid(expression: "0 0 * * */2", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: [0, 2, 4, 6]),
        Valid(expression: "  5\t4   * * *  ", minutes: [5], hours: [4], days: anyDay, months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "0-59/30 */6 */10 */3 *", minutes: [0, 30], hours: [0, 6, 12, 18], days: [1, 11, 21, 31], months: [1, 4, 7, 10], weekdays: anyWeekday),
        Valid(expression: "@hourly", minutes: [0], hours: anyHour, days: anyDay, months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "@daily", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "@midnight", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "@weekly", minutes: [0], hours: [0], days: anyDay, months: anyMonth, weekdays: [0]),
        Valid(expression: "@monthly", minutes: [0], hours: [0], days: [1], months: anyMonth, weekdays: anyWeekday),
        Valid(expression: "@yearly", minutes: [0], hours: [0], days: [1], months: [1], weekdays: anyWeekday),
        Valid(expression: "@Annually", minutes: [0], hours: [0], days: [1], months: [1], weekdays: anyWeekday),
    ]

    @Test(arguments: valid)
    func parsesFieldValues(_ case: Valid) throws {
        let expression = try CronExpression(parsing: `case`.expression)
        #expect(expression.values(of: .minute) == `case`.minutes)
        #expect(expression.values(of: .hour) == `case`.hours)
        #expect(expression.values(of: .dayOfMonth) == `case`.days)
        #expect(expression.values(of: .month) == `case`.months)
        #expect(expression.values(of: .dayOfWeek) == `case`.weekdays)
        #expect(expression.description == `case`.expression)
    }

    @Test(arguments: [
        ("0 0 13 * fri", true, true),
        ("0 0 * * fri", false, true),
        ("0 0 13 * *", true, false),
        // Vixie cron: a field that starts with * counts as unrestricted, steps included.
        ("0 0 */2 * fri", false, true),
        ("0 0 1-31 * *", true, false),
    ])
    func dayFieldRestriction(expression: String, dayOfMonth: Bool, dayOfWeek: Bool) {
        let parsed = cron(expression)
        #expect(parsed.restrictsDayOfMonth == dayOfMonth)
        #expect(parsed.restrictsDayOfWeek == dayOfWeek)
    }

    @Test func matchesUsesEitherDayFieldWhenBothRestricted() {
        let friday13 = cron("0 0 13 * fri")
        #expect(friday13.matches(LocalDateTime(year: 2026, month: 2, day: 6)))   // a Friday
        #expect(friday13.matches(LocalDateTime(year: 2026, month: 1, day: 13)))  // a Tuesday, the 13th
        #expect(!friday13.matches(LocalDateTime(year: 2026, month: 1, day: 14)))
        #expect(!friday13.matches(LocalDateTime(year: 2026, month: 2, day: 6, minute: 1)))
        let oddFridays = cron("0 0 */2 * fri")
        #expect(oddFridays.matches(LocalDateTime(year: 2026, month: 2, day: 13)))
        #expect(!oddFridays.matches(LocalDateTime(year: 2026, month: 2, day: 6)))   // Friday, even day
        #expect(!oddFridays.matches(LocalDateTime(year: 2026, month: 2, day: 11)))  // odd day, Wednesday
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var expression: String
        var field: CronField?
        var token: String
        var position: Int
        var message: String
        var testDescription: String { expression }
    }

    static let invalid: [Invalid] = [
        Invalid(expression: "0 25 * * *", field: .hour, token: "25", position: 2, message: "hour: 25 is out of range 0-23"),
        Invalid(expression: "60 * * * *", field: .minute, token: "60", position: 0, message: "minute: 60 is out of range 0-59"),
        Invalid(expression: "0 0 0 * *", field: .dayOfMonth, token: "0", position: 4, message: "day-of-month: 0 is out of range 1-31"),
        Invalid(expression: "0 0 1 13 *", field: .month, token: "13", position: 6, message: "month: 13 is out of range 1-12"),
        Invalid(expression: "0 0 * * 8", field: .dayOfWeek, token: "8", position: 8, message: "day-of-week: 8 is out of range 0-7"),
        Invalid(expression: "0 9-70 * * *", field: .hour, token: "70", position: 4, message: "hour: 70 is out of range 0-23"),
        Invalid(expression: "0 22-2 * * *", field: .hour, token: "22-2", position: 2,
                message: "hour: range 22-2 runs backwards; ranges do not wrap, write 22-23,0-2"),
        Invalid(expression: "*/0 * * * *", field: .minute, token: "0", position: 2, message: "minute: step 0 is out of range 1-59"),
        Invalid(expression: "*/x * * * *", field: .minute, token: "x", position: 2, message: "minute: step x is not a number; write e.g. */15"),
        Invalid(expression: "5/10 * * * *", field: .minute, token: "5/10", position: 0,
                message: "minute: a step needs a range or *: write 5-59/10 or */10"),
        Invalid(expression: "1,,2 * * * *", field: .minute, token: "1,,2", position: 0,
                message: "minute: empty element in list 1,,2; separate values with single commas, e.g. 1,3,5"),
        Invalid(expression: "0 0 * * mnd", field: .dayOfWeek, token: "mnd", position: 8,
                message: "day-of-week: unknown name mnd (did you mean mon?); day-of-week takes 0-7 or sun..sat"),
        Invalid(expression: "0 0 * june *", field: .month, token: "june", position: 6,
                message: "month: unknown name june (did you mean jun?); month takes 1-12 or jan..dec"),
        Invalid(expression: "0 0 * xyz *", field: .month, token: "xyz", position: 6,
                message: "month: unknown name xyz; month takes 1-12 or jan..dec"),
        Invalid(expression: "0 noon * * *", field: .hour, token: "noon", position: 2, message: "hour: noon is not a number; hour takes 0-23"),
        Invalid(expression: "0 0 L * *", field: .dayOfMonth, token: "L", position: 4, message: "day-of-month: L is not a number; day-of-month takes 1-31"),
        Invalid(expression: "0 0 * *", field: nil, token: "0 0 * *", position: 0,
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got 4"),
        Invalid(expression: "0 0 0 * * * 2026", field: nil, token: "*", position: 10,
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got 7; seconds and year fields are not supported"),
        Invalid(expression: "   ", field: nil, token: "   ", position: 0,
                message: "empty cron expression: write five fields (minute hour day-of-month month day-of-week) or a macro such as @daily"),
        Invalid(expression: "@dayly", field: nil, token: "@dayly", position: 0,
                message: "unknown macro @dayly; use one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually (did you mean @daily?)"),
        Invalid(expression: "@reboot", field: nil, token: "@reboot", position: 0, message: "@reboot has no time to fire at; use a schedule such as @daily"),
        Invalid(expression: "@daily 5", field: nil, token: "5", position: 7, message: "unexpected 5 after @daily: a macro stands alone"),
        Invalid(expression: "0 1-2-3 * * *", field: .hour, token: "1-2-3", position: 2,
                message: "hour: 1-2-3 is not a range; write two values with one -, e.g. 1-5"),
        Invalid(expression: "0 0 1-/2 * *", field: .dayOfMonth, token: "", position: 6, message: "day-of-month: missing value; day-of-month takes 1-31"),
    ]

    @Test(arguments: invalid)
    func reportsWhereAndWhy(_ case: Invalid) throws {
        let error = try #require(throws: CronParseError.self) { try CronExpression(parsing: `case`.expression) }
        #expect(error.field == `case`.field)
        #expect(error.token == `case`.token)
        #expect(error.position == `case`.position)
        #expect(error.description == `case`.message)
        // The position points at the token in the text as written.
        let text = Array(`case`.expression)
        #expect(String(text[error.position..<min(text.count, error.position + error.token.count)]) == error.token)
    }
}
