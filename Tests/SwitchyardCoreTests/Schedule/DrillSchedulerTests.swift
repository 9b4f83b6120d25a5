import Foundation
import Testing
@testable import SwitchyardCore

struct DrillSchedulerTests {
    /// Hourly at :00 UTC, start within 10 minutes, wait for a release at most 30 minutes.
    static func scheduler(cron: String = "0 * * * *", zone: String = "UTC", blackouts: [Blackout] = [],
                          concurrency: DrillSchedule.Concurrency = .forbid, limit: Int = 100) -> DrillScheduler {
        let schedule = DrillSchedule(cron: cron, timeZone: zone, blackouts: blackouts, concurrency: concurrency,
                                     startingDeadline: .minutes(10), deferDeadline: .minutes(30))
        return DrillScheduler(schedule: try! CompiledSchedule(schedule), missedRecordLimit: limit)
    }

    static let freeze = Blackout.range(name: "freeze", from: LocalDateTime(year: 2026, month: 6, day: 1, hour: 10),
                                       to: LocalDateTime(year: 2026, month: 6, day: 1, hour: 11))
    static let lateFreeze = Blackout.range(name: "late-freeze", from: LocalDateTime(year: 2026, month: 6, day: 1, hour: 10, minute: 3),
                                           to: LocalDateTime(year: 2026, month: 6, day: 1, hour: 11))

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var scheduler: DrillScheduler
        var state: ScheduleState
        var now: String
        var facts = ScheduleFacts()
        var actions: [ScheduleAction]
        var deferred: String? = nil
        var wakeAt: String?
        var testDescription: String { name }
    }

    static func skip(_ fire: String, _ reason: SkipReason) -> ScheduleAction { .skip(fire: utc(fire), reason: reason) }
    static func state(_ handled: String, deferred: String? = nil) -> ScheduleState {
        ScheduleState(handledThrough: utc(handled), deferredFire: deferred.map(utc))
    }

    static let cases: [Case] = [
        Case(name: "on time: start", scheduler: scheduler(), state: state("2026-06-01T09:59Z"), now: "2026-06-01T10:00:05Z",
             actions: [.start(fire: utc("2026-06-01T10:00Z"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "nothing due", scheduler: scheduler(), state: state("2026-06-01T10:00:05Z"), now: "2026-06-01T10:30Z",
             actions: [], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "exactly at the fire time", scheduler: scheduler(), state: state("2026-06-01T09:30Z"), now: "2026-06-01T10:00Z",
             actions: [.start(fire: utc("2026-06-01T10:00Z"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "fire time in a blackout: skip", scheduler: scheduler(blackouts: [freeze]), state: state("2026-06-01T09:59Z"), now: "2026-06-01T10:00:01Z",
             actions: [skip("2026-06-01T10:00Z", .blackout("freeze"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "late start that would land in a blackout: skip", scheduler: scheduler(blackouts: [lateFreeze]), state: state("2026-06-01T09:59Z"),
             now: "2026-06-01T10:05Z", actions: [skip("2026-06-01T10:00Z", .blackout("late-freeze"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "daemon was down: earlier fires missed, latest starts within startingDeadline", scheduler: scheduler(),
             state: state("2026-06-01T06:30Z"), now: "2026-06-01T10:05Z",
             actions: [skip("2026-06-01T07:00Z", .missed(lateBy: .minutes(185))), skip("2026-06-01T08:00Z", .missed(lateBy: .minutes(125))),
                       skip("2026-06-01T09:00Z", .missed(lateBy: .minutes(65))), .start(fire: utc("2026-06-01T10:00Z"))],
             wakeAt: "2026-06-01T11:00Z"),
        Case(name: "daemon was down past the startingDeadline: all missed", scheduler: scheduler(),
             state: state("2026-06-01T08:30Z"), now: "2026-06-01T10:20Z",
             actions: [skip("2026-06-01T09:00Z", .missed(lateBy: .minutes(80))), skip("2026-06-01T10:00Z", .missed(lateBy: .minutes(20)))],
             wakeAt: "2026-06-01T11:00Z"),
        Case(name: "missed fires in a blackout are recorded as blackout", scheduler: scheduler(blackouts: [freeze]),
             state: state("2026-06-01T09:30Z"), now: "2026-06-01T11:01Z",
             actions: [skip("2026-06-01T10:00Z", .blackout("freeze")), .start(fire: utc("2026-06-01T11:00Z"))], wakeAt: "2026-06-01T12:00Z"),
        Case(name: "release running: defer until fire + deferDeadline", scheduler: scheduler(), state: state("2026-06-01T09:59Z"),
             now: "2026-06-01T10:00:02Z", facts: ScheduleFacts(releaseRunning: true),
             actions: [.defer(fire: utc("2026-06-01T10:00Z"), until: utc("2026-06-01T10:30Z"))], deferred: "2026-06-01T10:00Z",
             wakeAt: "2026-06-01T10:30Z"),
        Case(name: "still deferred while the release runs", scheduler: scheduler(), state: state("2026-06-01T10:00:02Z", deferred: "2026-06-01T10:00Z"),
             now: "2026-06-01T10:20Z", facts: ScheduleFacts(releaseRunning: true),
             actions: [.defer(fire: utc("2026-06-01T10:00Z"), until: utc("2026-06-01T10:30Z"))], deferred: "2026-06-01T10:00Z",
             wakeAt: "2026-06-01T10:30Z"),
        Case(name: "release ended within the deferDeadline: start although past startingDeadline", scheduler: scheduler(),
             state: state("2026-06-01T10:20Z", deferred: "2026-06-01T10:00Z"), now: "2026-06-01T10:25Z",
             actions: [.start(fire: utc("2026-06-01T10:00Z"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "release outlasted the deferDeadline: skip", scheduler: scheduler(), state: state("2026-06-01T10:20Z", deferred: "2026-06-01T10:00Z"),
             now: "2026-06-01T10:30Z", facts: ScheduleFacts(releaseRunning: true),
             actions: [skip("2026-06-01T10:00Z", .releaseRunning(waited: .minutes(30)))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "deferred, then the daemon was down past both deadlines: missed", scheduler: scheduler(),
             state: state("2026-06-01T10:20Z", deferred: "2026-06-01T10:00Z"), now: "2026-06-01T10:45Z",
             actions: [skip("2026-06-01T10:00Z", .missed(lateBy: .minutes(45)))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "a newer fire supersedes the deferred one", scheduler: scheduler(cron: "*/15 * * * *"),
             state: state("2026-06-01T10:10Z", deferred: "2026-06-01T10:00Z"), now: "2026-06-01T10:15:01Z", facts: ScheduleFacts(releaseRunning: true),
             actions: [skip("2026-06-01T10:00Z", .releaseRunning(waited: .ms(901_000))), .defer(fire: utc("2026-06-01T10:15Z"), until: utc("2026-06-01T10:45Z"))],
             deferred: "2026-06-01T10:15Z", wakeAt: "2026-06-01T10:30Z"),
        Case(name: "release running but first seen past startingDeadline: missed", scheduler: scheduler(), state: state("2026-06-01T09:30Z"),
             now: "2026-06-01T10:15Z", facts: ScheduleFacts(releaseRunning: true),
             actions: [skip("2026-06-01T10:00Z", .missed(lateBy: .minutes(15)))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "forbid: previous run still running", scheduler: scheduler(concurrency: .forbid), state: state("2026-06-01T09:59Z"),
             now: "2026-06-01T10:00Z", facts: ScheduleFacts(runningDrill: "run-7"),
             actions: [skip("2026-06-01T10:00Z", .alreadyRunning("run-7"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "replace: stop the previous run and start", scheduler: scheduler(concurrency: .replace), state: state("2026-06-01T09:59Z"),
             now: "2026-06-01T10:00Z", facts: ScheduleFacts(runningDrill: "run-7"),
             actions: [.replace(running: "run-7", fire: utc("2026-06-01T10:00Z"))], wakeAt: "2026-06-01T11:00Z"),
        Case(name: "release beats concurrency: defer first", scheduler: scheduler(concurrency: .replace), state: state("2026-06-01T09:59Z"),
             now: "2026-06-01T10:00Z", facts: ScheduleFacts(releaseRunning: true, runningDrill: "run-7"),
             actions: [.defer(fire: utc("2026-06-01T10:00Z"), until: utc("2026-06-01T10:30Z"))], deferred: "2026-06-01T10:00Z",
             wakeAt: "2026-06-01T10:30Z"),
        Case(name: "New York spring forward: 02:30 starts at 03:00 EDT", scheduler: scheduler(cron: "30 2 * * *", zone: "America/New_York"),
             state: state("2026-03-08T06:00Z"), now: "2026-03-08T07:00:30Z",
             actions: [.start(fire: utc("2026-03-08T07:00Z"))], wakeAt: "2026-03-09T06:30Z"),
        Case(name: "New York fall back: the second 01:30 is not due again", scheduler: scheduler(cron: "30 1 * * *", zone: "America/New_York"),
             state: state("2026-11-01T05:30:10Z"), now: "2026-11-01T06:30:10Z",
             actions: [], wakeAt: "2026-11-02T06:30Z"),
    ]

    @Test(arguments: cases)
    func decides(_ case: Case) {
        let evaluation = `case`.scheduler.evaluate(state: `case`.state, now: utc(`case`.now), facts: `case`.facts)
        #expect(evaluation.actions == `case`.actions)
        #expect(evaluation.state.handledThrough == utc(`case`.now))
        #expect(evaluation.state.deferredFire == `case`.deferred.map(utc))
        #expect(evaluation.wakeAt == `case`.wakeAt.map(utc))
        #expect(!evaluation.omittedMissed)
    }

    @Test func firstEvaluationStartsTheClockWithoutFiring() {
        let evaluation = Self.scheduler().evaluate(state: ScheduleState(), now: utc("2026-06-01T10:00:05Z"), facts: ScheduleFacts())
        #expect(evaluation.actions.isEmpty)
        #expect(evaluation.state == ScheduleState(handledThrough: utc("2026-06-01T10:00:05Z")))
        #expect(evaluation.wakeAt == utc("2026-06-01T11:00Z"))
    }

    @Test func missedRecordsAreBounded() throws {
        // Every minute, daemon down for five hours: 300 fire times, 100 recorded, the latest starts.
        let evaluation = Self.scheduler(cron: "* * * * *").evaluate(state: Self.state("2026-06-01T05:00Z"), now: utc("2026-06-01T10:00:30Z"),
                                                                     facts: ScheduleFacts())
        #expect(evaluation.actions.count == 101)
        #expect(evaluation.omittedMissed)
        #expect(evaluation.actions.last == .start(fire: utc("2026-06-01T10:00Z")))
        let first = try #require(evaluation.actions.first)
        #expect(first == .skip(fire: utc("2026-06-01T08:20Z"), reason: .missed(lateBy: .ms(6_030_000))))
        #expect(zip(evaluation.actions, evaluation.actions.dropFirst()).allSatisfy { $0.fire < $1.fire })
    }

    @Test func exactlyTheLimitIsNotOmitted() {
        let evaluation = Self.scheduler(cron: "* * * * *", limit: 3).evaluate(state: Self.state("2026-06-01T09:56:30Z"), now: utc("2026-06-01T10:00:30Z"),
                                                                               facts: ScheduleFacts())
        #expect(evaluation.actions.map(\.fire) == ["09:57", "09:58", "09:59", "10:00"].map { utc("2026-06-01T\($0)Z") })
        #expect(!evaluation.omittedMissed)
    }

    @Test func aYearDownIsCheapAndBounded() {
        let clock = ContinuousClock()
        let started = clock.now
        let evaluation = Self.scheduler(cron: "* * * * *").evaluate(state: Self.state("2025-06-01T00:00Z"), now: utc("2026-06-01T10:00:30Z"),
                                                                     facts: ScheduleFacts())
        #expect(evaluation.actions.count == 101)
        #expect(evaluation.omittedMissed)
        #expect(clock.now - started < .seconds(2))
    }
}
