import Foundation
import Testing
@testable import SwitchyardCore

struct CronFireTimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var cron: String
        var zone: String
        var after: String
        /// The next fire times, in UTC.
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // America/New_York 2026: spring forward Mar 8 02:00 EST -> 03:00 EDT (07:00Z); fall back Nov 1 02:00 EDT -> 01:00 EST (06:00Z).
        Case(name: "NY spring forward: skipped 02:30 fires at 03:00 EDT", cron: "30 2 * * *", zone: "America/New_York",
             after: "2026-03-07T12:00Z", expected: ["2026-03-08T07:00Z", "2026-03-09T06:30Z"]),
        Case(name: "NY spring forward: the whole skipped hour fires once", cron: "*/30 * * * *", zone: "America/New_York",
             after: "2026-03-08T06:00Z", expected: ["2026-03-08T06:30Z", "2026-03-08T07:00Z", "2026-03-08T07:30Z"]),
        Case(name: "NY spring forward: 02:00 fires at the change", cron: "0 2 * * *", zone: "America/New_York",
             after: "2026-03-07T08:00Z", expected: ["2026-03-08T07:00Z", "2026-03-09T06:00Z"]),
        Case(name: "NY fall back: repeated 01:30 fires once, first occurrence (EDT)", cron: "30 1 * * *", zone: "America/New_York",
             after: "2026-10-31T12:00Z", expected: ["2026-11-01T05:30Z", "2026-11-02T06:30Z"]),
        Case(name: "NY fall back: hourly skips the second 01:00", cron: "0 * * * *", zone: "America/New_York",
             after: "2026-11-01T04:00Z", expected: ["2026-11-01T05:00Z", "2026-11-01T07:00Z", "2026-11-01T08:00Z"]),
        Case(name: "NY fall back: from inside the second occurrence", cron: "30 1 * * *", zone: "America/New_York",
             after: "2026-11-01T06:15Z", expected: ["2026-11-02T06:30Z"]),
        Case(name: "NY weekdays 09:00 across the spring change", cron: "0 9 * * mon-fri", zone: "America/New_York",
             after: "2026-03-06T00:00Z", expected: ["2026-03-06T14:00Z", "2026-03-09T13:00Z"]),
        // Europe/Berlin 2026: spring forward Mar 29 02:00 CET -> 03:00 CEST (01:00Z); fall back Oct 25 03:00 CEST -> 02:00 CET (01:00Z).
        Case(name: "Berlin spring forward: skipped 02:30 fires at 03:00 CEST", cron: "30 2 * * *", zone: "Europe/Berlin",
             after: "2026-03-28T12:00Z", expected: ["2026-03-29T01:00Z", "2026-03-30T00:30Z"]),
        Case(name: "Berlin spring forward: 03:00 and the gap coincide", cron: "0 2,3 * * *", zone: "Europe/Berlin",
             after: "2026-03-28T12:00Z", expected: ["2026-03-29T01:00Z", "2026-03-30T00:00Z", "2026-03-30T01:00Z"]),
        Case(name: "Berlin fall back: repeated 02:30 fires once (CEST)", cron: "30 2 * * *", zone: "Europe/Berlin",
             after: "2026-10-24T12:00Z", expected: ["2026-10-25T00:30Z", "2026-10-26T01:30Z"]),
        Case(name: "Berlin fall back: every 20 minutes through the repeated hour", cron: "*/20 2 * * *", zone: "Europe/Berlin",
             after: "2026-10-25T00:00Z", expected: ["2026-10-25T00:20Z", "2026-10-25T00:40Z", "2026-10-26T01:00Z"]),
        // Asia/Shanghai: UTC+8 all year, no DST.
        Case(name: "Shanghai has no DST on NY's change day", cron: "0 2 * * *", zone: "Asia/Shanghai",
             after: "2026-03-07T00:00Z", expected: ["2026-03-07T18:00Z", "2026-03-08T18:00Z"]),
        Case(name: "Shanghai weekdays", cron: "0 9 * * mon-fri", zone: "Asia/Shanghai",
             after: "2026-01-02T00:00Z", expected: ["2026-01-02T01:00Z", "2026-01-05T01:00Z"]),
        // Australia/Lord_Howe moves by 30 minutes: 2026-10-04 02:00 +10:30 -> 02:30 +11:00 (15:30Z).
        Case(name: "Lord Howe half-hour spring forward", cron: "15 2 * * *", zone: "Australia/Lord_Howe",
             after: "2026-10-03T12:00Z", expected: ["2026-10-03T15:30Z", "2026-10-04T15:15Z"]),
        Case(name: "quarterly in Berlin (CEST then CET)", cron: "0 3 1 1,4,7,10 *", zone: "Europe/Berlin",
             after: "2026-01-15T00:00Z", expected: ["2026-04-01T01:00Z", "2026-07-01T01:00Z", "2026-10-01T01:00Z", "2027-01-01T02:00Z"]),
        Case(name: "quarterly in Shanghai", cron: "0 3 1 1,4,7,10 *", zone: "Asia/Shanghai",
             after: "2026-03-31T19:00Z", expected: ["2026-06-30T19:00Z", "2026-09-30T19:00Z"]),
        Case(name: "day 31 skips shorter months", cron: "0 0 31 * *", zone: "UTC",
             after: "2026-01-31T00:00Z", expected: ["2026-03-31T00:00Z", "2026-05-31T00:00Z", "2026-07-31T00:00Z", "2026-08-31T00:00Z"]),
        Case(name: "day 30 skips February", cron: "0 0 30 * *", zone: "UTC",
             after: "2026-01-30T00:00Z", expected: ["2026-03-30T00:00Z"]),
        Case(name: "last days of February, leap year", cron: "0 12 28-31 2 *", zone: "UTC",
             after: "2027-03-01T00:00Z", expected: ["2028-02-28T12:00Z", "2028-02-29T12:00Z", "2029-02-28T12:00Z"]),
        Case(name: "Feb 29 only in leap years", cron: "0 0 29 2 *", zone: "UTC",
             after: "2026-01-01T00:00Z", expected: ["2028-02-29T00:00Z", "2032-02-29T00:00Z"]),
        Case(name: "Feb 29: 2100 is not a leap year", cron: "0 0 29 2 *", zone: "UTC",
             after: "2096-03-01T00:00Z", expected: ["2104-02-29T00:00Z"]),
        Case(name: "Vixie: both day fields restricted means either", cron: "0 0 13 * fri", zone: "UTC",
             after: "2026-02-01T00:00Z", expected: ["2026-02-06T00:00Z", "2026-02-13T00:00Z", "2026-02-20T00:00Z", "2026-02-27T00:00Z", "2026-03-06T00:00Z"]),
        Case(name: "Vixie: day-of-month 13 alone, on the 13th only", cron: "0 0 13 * *", zone: "UTC",
             after: "2026-02-01T00:00Z", expected: ["2026-02-13T00:00Z", "2026-03-13T00:00Z"]),
        Case(name: "Vixie: */2 counts as * so both must match", cron: "0 0 */2 * fri", zone: "UTC",
             after: "2026-02-01T00:00Z", expected: ["2026-02-13T00:00Z", "2026-02-27T00:00Z", "2026-03-13T00:00Z", "2026-03-27T00:00Z"]),
        Case(name: "day-of-week 7 is Sunday", cron: "0 0 * * 7", zone: "UTC",
             after: "2026-02-01T00:00Z", expected: ["2026-02-08T00:00Z", "2026-02-15T00:00Z"]),
        Case(name: "@weekly in New York", cron: "@weekly", zone: "America/New_York",
             after: "2026-03-01T06:00Z", expected: ["2026-03-08T05:00Z", "2026-03-15T04:00Z"]),
        Case(name: "an instant between minutes rounds to the next minute", cron: "* * * * *", zone: "UTC",
             after: "2026-05-05T10:00:30Z", expected: ["2026-05-05T10:01Z", "2026-05-05T10:02Z"]),
        Case(name: "year end", cron: "59 23 31 12 *", zone: "Asia/Shanghai",
             after: "2026-06-01T00:00Z", expected: ["2026-12-31T15:59Z", "2027-12-31T15:59Z"]),
    ]

    @Test(arguments: cases)
    func nextFireTimes(_ case: Case) throws {
        let expression = try CronExpression(parsing: `case`.cron)
        let fires = expression.upcoming(after: utc(`case`.after), count: `case`.expected.count, in: zone(`case`.zone))
        #expect(fires.map(utcText) == `case`.expected)
    }

    @Test(arguments: cases)
    func previousMirrorsNext(_ case: Case) throws {
        let expression = try CronExpression(parsing: `case`.cron)
        let tz = zone(`case`.zone)
        let fires = expression.upcoming(after: utc(`case`.after), count: `case`.expected.count, in: tz)
        for (earlier, later) in zip(fires, fires.dropFirst()) {
            #expect(expression.previous(before: later, in: tz) == earlier)
        }
        if let first = fires.first, let before = expression.previous(before: first, in: tz) {
            #expect(before <= utc(`case`.after))
            #expect(expression.next(after: before, in: tz) == first)
        }
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *"])
    func impossibleExpressionsEndTheSearch(_ text: String) {
        let expression = cron(text)
        #expect(expression.next(after: utc("2026-01-01T00:00Z"), in: zone("Europe/Berlin")) == nil)
        #expect(expression.previous(before: utc("2026-01-01T00:00Z"), in: zone("Europe/Berlin")) == nil)
        #expect(expression.upcoming(after: utc("2026-01-01T00:00Z"), count: 3, in: zone("UTC")).isEmpty)
    }

    /// Both 2026 changes of each zone lie inside the window these counts cover.
    @Test(arguments: [("*/30 * * * *", "America/New_York", 12_500), ("15 1,2,3 * * *", "Europe/Berlin", 1_100), ("0 2 * * *", "Asia/Shanghai", 366)])
    func firesAreStrictlyIncreasingThroughADSTYear(expression: String, zoneName: String, count: Int) {
        let fires = cron(expression).upcoming(after: utc("2026-03-01T00:00Z"), count: count, in: zone(zoneName))
        #expect(fires.count == count)
        #expect(zip(fires, fires.dropFirst()).allSatisfy { $0 < $1 })
        #expect(fires.last! > utc("2026-11-02T00:00Z"))
    }

    @Test func everyMinuteAroundSpringForwardHasNoDuplicatesOrHoles() {
        // 01:58, 01:59 EST, then the change (the skipped 02:00-02:59 coalesce at 03:00 EDT), 03:01 EDT.
        let fires = cron("* * * * *").upcoming(after: utc("2026-03-08T06:57Z"), count: 4, in: zone("America/New_York"))
        #expect(fires.map(utcText) == ["2026-03-08T06:58Z", "2026-03-08T06:59Z", "2026-03-08T07:00Z", "2026-03-08T07:01Z"])
    }
}
