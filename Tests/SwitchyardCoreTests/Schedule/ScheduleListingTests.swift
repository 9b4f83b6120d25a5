import Foundation
import Testing
@testable import SwitchyardCore

struct ScheduleListingTests {
    static let schedule = try! CompiledSchedule(DrillSchedule(
        cron: "30 2 * * sun", timeZone: "America/New_York",
        blackouts: [.range(name: "march-freeze", from: LocalDateTime(year: 2026, month: 3, day: 14), to: LocalDateTime(year: 2026, month: 3, day: 21))]))

    @Test func marksBlackedOutRunsWithTheBlackoutName() {
        let runs = Self.schedule.upcomingRuns(after: utc("2026-03-01T12:00Z"), count: 3)
        #expect(runs.map(\.local) == ["2026-03-08 03:00 -04:00", "2026-03-15 02:30 -04:00", "2026-03-22 02:30 -04:00"])
        #expect(runs.map(\.utc) == ["2026-03-08 07:00Z", "2026-03-15 06:30Z", "2026-03-22 06:30Z"])
        #expect(runs.map(\.blackout) == [nil, "march-freeze", nil])
    }

    @Test func givesEachRunInISO8601WithItsZonesOffsetForJSON() {
        let runs = Self.schedule.upcomingRuns(after: utc("2026-03-01T12:00Z"), count: 2)
        // 2026-03-08 is the day New York moves to daylight time: the offset is the one at the fire time.
        #expect(runs.map(\.localISO8601) == ["2026-03-08T03:00:00-04:00", "2026-03-15T02:30:00-04:00"])
        #expect(runs.map(\.utcISO8601) == ["2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z"])
        let winter = Self.schedule.upcomingRuns(after: utc("2026-01-01T00:00Z"), count: 1)
        #expect(winter.map(\.localISO8601) == ["2026-01-04T02:30:00-05:00"])
        let kolkata = try! CompiledSchedule(DrillSchedule(cron: "0 9 * * *", timeZone: "Asia/Kolkata"))
        #expect(kolkata.upcomingRuns(after: utc("2026-01-01T00:00Z"), count: 1).map(\.localISO8601) == ["2026-01-01T09:00:00+05:30"])
    }

    @Test func skipsBlackedOutRunsWhenAsked() {
        let runs = Self.schedule.upcomingRuns(after: utc("2026-03-01T12:00Z"), count: 3, blackouts: .skip)
        #expect(runs.map(\.utc) == ["2026-03-08 07:00Z", "2026-03-22 06:30Z", "2026-03-29 06:30Z"])
    }

    @Test func tableLines() {
        let lines = Self.schedule.upcomingRunsTable(after: utc("2026-03-01T12:00Z"), count: 2)
        #expect(lines == ["2026-03-08 03:00 -04:00   2026-03-08 07:00Z",
                          "2026-03-15 02:30 -04:00   2026-03-15 06:30Z   blackout: march-freeze"])
    }

    @Test func positiveOffsetsAndImpossibleSchedules() throws {
        let shanghai = try CompiledSchedule(DrillSchedule(cron: "0 9 1 * *", timeZone: "Asia/Shanghai"))
        #expect(shanghai.upcomingRuns(after: utc("2026-01-01T00:00Z"), count: 1).map(\.local) == ["2026-01-01 09:00 +08:00"])
        let never = try CompiledSchedule(DrillSchedule(cron: "0 0 30 2 *", timeZone: "UTC"))
        #expect(never.upcomingRuns(after: utc("2026-01-01T00:00Z"), count: 5).isEmpty)
    }

    @Test func aScheduleThatIsAlwaysBlackedOutEnds() throws {
        let always = try CompiledSchedule(DrillSchedule(cron: "0 * * * *", timeZone: "UTC", blackouts: [
            .weekly(name: "always", days: Weekday.allCases, from: TimeOfDay(hour: 0, minute: 0), to: TimeOfDay(hour: 0, minute: 0)),
        ]))
        #expect(always.upcomingRuns(after: utc("2026-01-01T00:00Z"), count: 2, blackouts: .skip).isEmpty)
    }
}

struct CompiledScheduleTests {
    @Test func validScheduleCompiles() throws {
        let compiled = try CompiledSchedule(DrillSchedule(cron: "@daily", timeZone: "Europe/Berlin"))
        #expect(compiled.timeZone.identifier == "Europe/Berlin")
        #expect(compiled.next(after: utc("2026-06-01T12:00Z")) == utc("2026-06-01T22:00Z"))
    }

    @Test func reportsEveryProblem() {
        let schedule = DrillSchedule(cron: "0 25 * * *", timeZone: "Europe/Berln", blackouts: [
            .range(name: "backwards", from: LocalDateTime(year: 2026, month: 2, day: 1), to: LocalDateTime(year: 2026, month: 1, day: 1)),
            .weekly(name: "no-days", days: [], from: TimeOfDay(hour: 1, minute: 0), to: TimeOfDay(hour: 2, minute: 0)),
        ], startingDeadline: .ms(-1))
        let problems = CompiledSchedule.problems(in: schedule)
        #expect(problems.map(\.description) == [
            "cron: hour: 25 is out of range 0-23",
            "timeZone: unknown IANA time zone Europe/Berln (did you mean Europe/Berlin?)",
            "blackouts[0] backwards: ends at 2026-01-01, not after its start 2026-02-01",
            "blackouts[1] no-days: lists no days",
            "startingDeadline: must not be negative",
        ])
        if case .cron(let error) = problems.first {
            #expect(error.position == 2)
        } else {
            Issue.record("expected a cron error first")
        }
        #expect(throws: ScheduleError.self) { try CompiledSchedule(schedule) }
    }
}
