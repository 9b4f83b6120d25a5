import Foundation
import Testing
@testable import SwitchyardCore

struct BlackoutCalendarTests {
    static let salesFreeze = Blackout.range(name: "sales-freeze", from: LocalDateTime(year: 2026, month: 11, day: 20),
                                            to: LocalDateTime(year: 2026, month: 12, day: 1))
    static let fridayNight = Blackout.weekly(name: "friday-night", days: [.fri], from: TimeOfDay(hour: 22, minute: 0), to: TimeOfDay(hour: 6, minute: 0))
    static let officeHours = Blackout.weekly(name: "office-hours", days: [.mon, .tue], from: TimeOfDay(hour: 9, minute: 0), to: TimeOfDay(hour: 17, minute: 30))
    static let lateEvening = Blackout.weekly(name: "late-evening", days: [.sun], from: TimeOfDay(hour: 22, minute: 0), to: TimeOfDay(hour: 24, minute: 0))
    static let wholeWednesday = Blackout.weekly(name: "wednesday", days: [.wed], from: TimeOfDay(hour: 12, minute: 0), to: TimeOfDay(hour: 12, minute: 0))

    struct Case: Sendable, CustomTestStringConvertible {
        var zone: String
        var instant: String
        var expected: String?
        var testDescription: String { "\(zone) \(instant) -> \(expected ?? "none")" }
    }

    static let cases: [Case] = [
        // Range, New York (EST, -05:00): from inclusive, to exclusive, in local time.
        Case(zone: "America/New_York", instant: "2026-11-20T04:59Z", expected: nil),
        Case(zone: "America/New_York", instant: "2026-11-20T05:00Z", expected: "sales-freeze"),
        Case(zone: "America/New_York", instant: "2026-12-01T04:59:59Z", expected: "sales-freeze"),
        Case(zone: "America/New_York", instant: "2026-12-01T05:00Z", expected: nil),
        // The same range read in Shanghai (+08:00).
        Case(zone: "Asia/Shanghai", instant: "2026-11-19T16:00Z", expected: "sales-freeze"),
        Case(zone: "Asia/Shanghai", instant: "2026-11-19T15:59Z", expected: nil),
        // Weekly across midnight, Berlin (CET, +01:00); 2026-01-09 is a Friday.
        Case(zone: "Europe/Berlin", instant: "2026-01-09T20:59Z", expected: nil),
        Case(zone: "Europe/Berlin", instant: "2026-01-09T21:00Z", expected: "friday-night"),
        Case(zone: "Europe/Berlin", instant: "2026-01-09T23:30Z", expected: "friday-night"),   // Sat 00:30
        Case(zone: "Europe/Berlin", instant: "2026-01-10T04:59Z", expected: "friday-night"),   // Sat 05:59
        Case(zone: "Europe/Berlin", instant: "2026-01-10T05:00Z", expected: nil),              // Sat 06:00
        Case(zone: "Europe/Berlin", instant: "2026-01-10T21:30Z", expected: nil),              // Sat 22:30: Saturday is not listed
        Case(zone: "Europe/Berlin", instant: "2026-01-08T23:30Z", expected: nil),              // Fri 00:30: the window starts Friday evening
        // Same-day weekly window; 2026-01-12 is a Monday, 2026-01-14 a Wednesday.
        Case(zone: "Europe/Berlin", instant: "2026-01-12T08:00Z", expected: "office-hours"),
        Case(zone: "Europe/Berlin", instant: "2026-01-12T16:29Z", expected: "office-hours"),
        Case(zone: "Europe/Berlin", instant: "2026-01-12T16:30Z", expected: nil),
        Case(zone: "Europe/Berlin", instant: "2026-01-12T07:59Z", expected: nil),
        // Until 24:00.
        Case(zone: "Europe/Berlin", instant: "2026-01-11T22:59Z", expected: "late-evening"),    // Sun 23:59
        Case(zone: "Europe/Berlin", instant: "2026-01-11T23:00Z", expected: nil),               // Mon 00:00
        // from == to: 24 hours from Wednesday noon.
        Case(zone: "Europe/Berlin", instant: "2026-01-14T11:00Z", expected: "wednesday"),
        Case(zone: "Europe/Berlin", instant: "2026-01-15T10:59Z", expected: "wednesday"),
        Case(zone: "Europe/Berlin", instant: "2026-01-15T11:00Z", expected: nil),
        // Summer time moves the window in UTC: Fri 2026-07-10 22:00 CEST is 20:00Z.
        Case(zone: "Europe/Berlin", instant: "2026-07-10T20:00Z", expected: "friday-night"),
        Case(zone: "Europe/Berlin", instant: "2026-07-10T19:59Z", expected: nil),
    ]

    @Test(arguments: cases)
    func blackoutContaining(_ case: Case) {
        let calendar = BlackoutCalendar(blackouts: [Self.salesFreeze, Self.fridayNight, Self.officeHours, Self.lateEvening, Self.wholeWednesday],
                                        timeZone: zone(`case`.zone))
        #expect(calendar.blackout(containing: utc(`case`.instant))?.name == `case`.expected)
    }

    @Test func firstMatchingBlackoutInWrittenOrderWins() {
        let overlapping = Blackout.weekly(name: "all-friday", days: [.fri], from: TimeOfDay(hour: 0, minute: 0), to: TimeOfDay(hour: 24, minute: 0))
        let calendar = BlackoutCalendar(blackouts: [overlapping, Self.fridayNight], timeZone: zone("UTC"))
        #expect(calendar.blackout(containing: utc("2026-01-09T23:00Z"))?.name == "all-friday")
        #expect(calendar.blackout(containing: utc("2026-01-10T01:00Z"))?.name == "friday-night")
    }

    @Test func noBlackoutsMeansNone() {
        #expect(BlackoutCalendar(blackouts: [], timeZone: zone("UTC")).blackout(containing: utc("2026-01-01T00:00Z")) == nil)
    }
}
