import Foundation
import Logging
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardTesting
@testable import SwitchyardServer

/// The daemon's drill scheduler on a real state file, with a clock the tests set: what fires, what is
/// recorded as skipped or missed, and that nothing fires twice, across restarts too.
@Suite(.serialized) struct DrillScheduleServiceTests {
    /// Hourly at :00 UTC, a late start allowed for 10 minutes, a release waited for 30.
    static func hourly(concurrency: String = "forbid", blackouts: [String] = []) -> [String] {
        ["cron: \"0 * * * *\"", "timeZone: UTC", "concurrency: \(concurrency)", "startingDeadline: 10m", "deferDeadline: 30m"]
            + (blackouts.isEmpty ? [] : ["blackouts:"] + blackouts.map { "  " + $0 })
    }

    /// Among several daemons: a standby neither starts runs nor restores interrupted ones; the leader's runs carry
    /// its lease, so that the store refuses them once it is deposed.
    @Test func onlyTheLeaderStartsAndRestoresRunsAndItsRunsCarryItsLease() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let leadership = Leadership()
        let service = fixture.service(launcher: launcher, leadership: leadership)
        leadership.set(.following(nil))
        #expect(await service.recoverInterruptedAsLeader() == false)
        await #expect(throws: NotLeader.self) { _ = try await service.runNow(playbook: ScheduleFixture.playbook, actor: "ops") }
        #expect(await launcher.recoveries == 0)
        #expect(await launcher.launches.isEmpty)

        let lease = LockLease(name: Leadership.lockName, holder: "yardd-1", acquiredAt: utc("09:59:00"), expiresAt: utc("10:00:00"), generation: 7)
        leadership.set(.leading(lease))
        #expect(await service.recoverInterruptedAsLeader())
        #expect(await launcher.recoveries == 1)
        _ = try await service.runNow(playbook: ScheduleFixture.playbook, actor: "ops")
        #expect(await launcher.launches.map(\.leaderFence) == [lease.fence])
    }

    @Test func aFireTimeThatPassesStartsOneRunAndIsSavedFirst() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)

        let first = await service.evaluateAll()
        #expect(first.actions.isEmpty, "the first evaluation starts the clock and fires nothing")
        #expect(first.wakeAt == utc("10:00:00"))
        #expect(try await fixture.store.scheduleState(playbook: ScheduleFixture.playbook) == ScheduleState(handledThrough: utc("09:59:00")))

        fixture.clock.set(utc("10:00:05"))
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [.start(fire: utc("10:00:00"))])
        let launches = await launcher.launches
        try #require(launches.count == 1)
        #expect(launches[0].fire == utc("10:00:00"))
        #expect(launches[0].reason.contains("scheduled for 2026-03-10T10:00:00Z"), "\(launches[0].reason)")
        // Journal before acting: the state was saved before the launcher was called.
        #expect(launches[0].storedState == ScheduleState(handledThrough: utc("10:00:05")))
        #expect(pass.started[ScheduleFixture.playbook] == [launches[0].run])
        #expect(pass.wakeAt == utc("11:00:00"))

        fixture.clock.set(utc("10:00:06"))
        #expect(await service.evaluateAll().actions.isEmpty)
        #expect(await launcher.launches.count == 1)
        let runs = try await fixture.runs()
        #expect(runs.map(\.id) == [launches[0].run])
        #expect(runs.map(\.status) == ["running"])
    }

    @Test func aRestartedServiceDoesNotFireTheSameTimeAgain() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        await fixture.service(launcher: launcher).evaluateAll()
        fixture.clock.set(utc("10:00:05"))
        await fixture.service(launcher: launcher).evaluateAll()
        #expect(await launcher.launches.count == 1)

        // A new daemon on the same file, a little later, still within the starting deadline.
        let reopened = try fixture.reopenedStore()
        let second = RecordingDrillLauncher(store: reopened, clock: fixture.clock.function)
        fixture.clock.set(utc("10:03:00"))
        let pass = await fixture.service(launcher: second, store: reopened).evaluateAll()
        #expect(pass.actions.isEmpty)
        #expect(await second.launches.isEmpty)
        #expect(try await reopened.scheduleState(playbook: ScheduleFixture.playbook)?.handledThrough == utc("10:03:00"))
    }

    @Test func aFireInsideABlackoutIsRecordedSkippedWithItsName() async throws {
        let blackout = ["- name: march-maintenance", "  from: 2026-03-10T09:30", "  to: 2026-03-10T10:30"]
        let fixture = try ScheduleFixture(schedule: Self.hourly(blackouts: blackout), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:02"))
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [.skip(fire: utc("10:00:00"), reason: .blackout("march-maintenance"))])
        #expect(await launcher.launches.isEmpty)

        let runs = try await fixture.runs()
        try #require(runs.count == 1)
        #expect(runs[0].id == "sched-20260310-100000-drill-hourly")
        #expect(runs[0].status == "skipped")
        #expect(runs[0].isFinished)
        let skipped = try #require(try fixture.skipped(runs[0]))
        #expect(skipped.kind == "blackout")
        #expect(skipped.blackout == "march-maintenance")
        #expect(skipped.fire == utc("10:00:00"))
        #expect(skipped.reason == "in blackout march-maintenance")

        // The next fire, after the blackout, starts.
        fixture.clock.set(utc("11:00:01"))
        await service.evaluateAll()
        #expect(await launcher.launches.map(\.fire) == [utc("11:00:00")])
    }

    @Test func aSkippedRunIsToldToThePlaybooksTargetOnce() async throws {
        let receiver = WebhookReceiver()
        try await receiver.with { base in
            let blackout = ["- name: march-maintenance", "  from: 2026-03-10T09:30", "  to: 2026-03-10T10:30"]
            let fixture = try ScheduleFixture(schedule: Self.hourly(blackouts: blackout), at: utc("09:59:00"),
                                              extra: ["notify:", "  - name: ops", "    url: \(base)/ops", "    events: [drill.skipped]"])
            let service = fixture.service(launcher: fixture.launcher())
            await service.evaluateAll()
            fixture.clock.set(utc("10:00:02"))
            await service.evaluateAll()
            await service.evaluateAll()
            for _ in 0..<100 where receiver.delivered("/ops").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            let bodies = receiver.delivered("/ops")
            #expect(bodies.count == 1)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(bodies.first?.utf8 ?? "".utf8)) as? [String: Any])
            #expect(json["event"] as? String == "drill.skipped")
            #expect((json["text"] as? String)?.contains("in blackout march-maintenance") == true, "\(json)")
            #expect((json["details"] as? [String: String])?["playbook"] == ScheduleFixture.playbook)
        }
    }

    @Test func aHeldReleaseLockDefersTheDrillUntilTheReleaseEnds() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        let lock = LockName.release(topology: "local", service: "gateway")
        try await fixture.store.acquireLock(name: lock, holder: "release rel-1 of gateway", lease: .seconds(3600), now: utc("09:59:30"))

        fixture.clock.set(utc("10:00:03"))
        let deferred = await service.evaluateAll()
        #expect(deferred.actions[ScheduleFixture.playbook] == [.defer(fire: utc("10:00:00"), until: utc("10:30:00"))])
        #expect(deferred.deferred)
        #expect(deferred.wakeAt == utc("10:30:00"))
        #expect(try await fixture.store.scheduleState(playbook: ScheduleFixture.playbook)?.deferredFire == utc("10:00:00"))
        // While deferred the loop looks again every few seconds, to start soon after the release ends.
        #expect(await service.delay(after: deferred, now: utc("10:00:03")) == .seconds(5))

        fixture.clock.set(utc("10:10:00"))
        #expect(await service.evaluateAll().actions[ScheduleFixture.playbook] == [.defer(fire: utc("10:00:00"), until: utc("10:30:00"))])
        #expect(await launcher.launches.isEmpty)

        try await fixture.store.releaseLock(name: lock, holder: "release rel-1 of gateway")
        fixture.clock.set(utc("10:15:00"))
        let started = await service.evaluateAll()
        #expect(started.actions[ScheduleFixture.playbook] == [.start(fire: utc("10:00:00"))])
        #expect(await launcher.launches.map(\.fire) == [utc("10:00:00")])
        #expect(try await fixture.store.scheduleState(playbook: ScheduleFixture.playbook)?.deferredFire == nil)
        #expect(try await fixture.runs().count == 1)
    }

    @Test func aReleaseThatOutlastsTheDeferDeadlineSkipsTheDrill() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        // An unfinished release of the topology (what a daemon or CLI that died mid-release leaves).
        try await Seed.release(fixture.store, id: "rel-long")

        fixture.clock.set(utc("10:00:01"))
        #expect(await service.evaluateAll().actions[ScheduleFixture.playbook] == [.defer(fire: utc("10:00:00"), until: utc("10:30:00"))])
        fixture.clock.set(utc("10:30:00"))
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [.skip(fire: utc("10:00:00"), reason: .releaseRunning(waited: .minutes(30)))])
        #expect(await launcher.launches.isEmpty)

        let runs = try await fixture.runs()
        try #require(runs.count == 1)
        #expect(runs[0].status == "skipped")
        let skipped = try #require(try fixture.skipped(runs[0]))
        #expect(skipped.kind == "releaseRunning")
        #expect(skipped.late == "30m")
        #expect(skipped.reason == "a release of the topology was still running after 30m")
        #expect(try await fixture.store.scheduleState(playbook: ScheduleFixture.playbook)?.deferredFire == nil)
    }

    @Test func runsMissedWhileDownAreRecordedAndTheLatestStartsOnce() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("06:30:00"))
        await fixture.service(launcher: fixture.launcher()).evaluateAll()

        // Down from 06:30 to 10:05: 07:00, 08:00 and 09:00 are missed, 10:00 is 5 minutes late and still starts.
        let reopened = try fixture.reopenedStore()
        let launcher = RecordingDrillLauncher(store: reopened, clock: fixture.clock.function)
        fixture.clock.set(utc("10:05:00"))
        let service = fixture.service(launcher: launcher, store: reopened)
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [
            .skip(fire: utc("07:00:00"), reason: .missed(lateBy: .minutes(185))),
            .skip(fire: utc("08:00:00"), reason: .missed(lateBy: .minutes(125))),
            .skip(fire: utc("09:00:00"), reason: .missed(lateBy: .minutes(65))),
            .start(fire: utc("10:00:00")),
        ])
        #expect(await launcher.launches.map(\.fire) == [utc("10:00:00")])
        let runs = try await fixture.runs()
        #expect(runs.map(\.status) == ["missed", "missed", "missed", "running"])
        #expect(try runs.prefix(3).map { try fixture.skipped($0)?.fire } == [utc("07:00:00"), utc("08:00:00"), utc("09:00:00")])
        #expect(try fixture.skipped(runs[0])?.late == "3h5m")

        fixture.clock.set(utc("10:06:00"))
        #expect(await service.evaluateAll().actions.isEmpty)
        #expect(await launcher.launches.count == 1)
        #expect(try await fixture.runs().count == 4)
    }

    @Test func aRunMissedBeyondTheStartingDeadlineIsRecordedMissedNotStarted() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("08:30:00"))
        await fixture.service(launcher: fixture.launcher()).evaluateAll()

        let reopened = try fixture.reopenedStore()
        let launcher = RecordingDrillLauncher(store: reopened, clock: fixture.clock.function)
        fixture.clock.set(utc("10:20:00"))
        let pass = await fixture.service(launcher: launcher, store: reopened).evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [
            .skip(fire: utc("09:00:00"), reason: .missed(lateBy: .minutes(80))),
            .skip(fire: utc("10:00:00"), reason: .missed(lateBy: .minutes(20))),
        ])
        #expect(await launcher.launches.isEmpty)
        let runs = try await fixture.runs()
        #expect(runs.map(\.status) == ["missed", "missed"])
        #expect(try fixture.skipped(runs[1])?.reason == "missed by 20m")
        #expect(runs.allSatisfy { $0.isFinished })
    }

    @Test func forbidSkipsAFireWhileThePreviousRunStillRuns() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:01"))
        await service.evaluateAll()
        let run = try #require(await launcher.launches.first?.run)

        fixture.clock.set(utc("11:00:01"))
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [.skip(fire: utc("11:00:00"), reason: .alreadyRunning(run))])
        #expect(await launcher.launches.count == 1)
        let last = try #require(try await fixture.runs().last)
        let skipped = try #require(try fixture.skipped(last))
        #expect(skipped.kind == "alreadyRunning")
        #expect(skipped.runningRun == run)

        // Once it has finished, the next fire starts.
        try await launcher.finish(run)
        fixture.clock.set(utc("12:00:01"))
        await service.evaluateAll()
        #expect(await launcher.launches.map(\.fire) == [utc("10:00:00"), utc("12:00:00")])
    }

    @Test func replaceStopsThePreviousRunThenStartsTheNewOne() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(concurrency: "replace"), at: utc("09:59:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:01"))
        await service.evaluateAll()
        let first = try #require(await launcher.launches.first?.run)
        fixture.clock.set(utc("11:00:01"))
        let pass = await service.evaluateAll()
        #expect(pass.actions[ScheduleFixture.playbook] == [.replace(running: first, fire: utc("11:00:00"))])
        #expect(await launcher.stops == [first])
        #expect(await launcher.launches.map(\.fire) == [utc("10:00:00"), utc("11:00:00")])
        #expect(try await fixture.store.drillRun(id: first)?.status == "stopped")
    }

    @Test func aLaunchThatFailsIsRecordedAsFailedToStartAndNotRetried() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        let service = fixture.service(launcher: UnavailableDrillLauncher())
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:01"))
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:30"))
        await service.evaluateAll()
        let runs = try await fixture.runs()
        try #require(runs.count == 1)
        #expect(runs[0].status == "failed-to-start")
        #expect(runs[0].isFinished)
        let report = try #require(try runs[0].report?.decode(ScheduledFireRecord.Report.self).failedToStart)
        #expect(report.fire == utc("10:00:00"))
        #expect(report.reason.contains("no drill runner is configured"))
    }

    @Test func aSkipRecordLeftHalfWrittenIsFinishedAndNotTakenForARunningDrill() async throws {
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: utc("09:59:00"))
        // A crash between creating the record and finishing it.
        _ = try await fixture.store.createDrillRun(id: ScheduledFireRecord.id(playbook: ScheduleFixture.playbook, fire: utc("09:00:00")),
                                                   playbook: ScheduleFixture.playbook, status: "missed", now: utc("09:20:00"))
        let launcher = fixture.launcher()
        let service = fixture.service(launcher: launcher)
        await service.evaluateAll()
        fixture.clock.set(utc("10:00:01"))
        await service.evaluateAll()
        #expect(await launcher.launches.count == 1, "a half-written skip record is not a running drill")
        let running = Task { try await service.run() }
        defer { running.cancel() }
        for _ in 0..<200 {
            if try await fixture.store.unfinishedDrillRuns().count <= 1 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await fixture.store.unfinishedDrillRuns().map(\.id) == [await launcher.launches[0].run])
    }

    @Test func theLoopWakesAtTheFireTimeOnItsOwn() async throws {
        // Time runs from 1.5 s before a fire time, at the speed of the wall clock.
        let origin = Date(), start = utc("09:59:58").addingTimeInterval(0.5)
        let fixture = try ScheduleFixture(schedule: Self.hourly(), at: start)
        let clock: @Sendable () -> Date = { start.addingTimeInterval(Date().timeIntervalSince(origin)) }
        let launcher = RecordingDrillLauncher(store: fixture.store, clock: clock)
        var logger = Logger(label: "drill-schedule-test")
        logger.logLevel = .warning
        let service = DrillScheduleService(store: fixture.store, catalog: fixture.catalog, launcher: launcher, clock: clock, logger: logger)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        for _ in 0..<300 {
            if await !launcher.launches.isEmpty { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await launcher.launches.map(\.fire) == [utc("10:00:00")])
    }
}
