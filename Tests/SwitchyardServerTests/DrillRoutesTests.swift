import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// `/v1/drills` on a real in-process daemon with the repository's playbooks.
@Suite(.serialized) struct DrillRoutesTests {
    static let now = Date(timeIntervalSince1970: 1_774_396_800) // 2026-03-25T00:00:00Z

    static func recording(runFor: Duration? = nil) -> (any StateStore) -> any DrillLauncher {
        { store in RecordingDrillLauncher(store: store, runFor: runFor) }
    }

    static func drill(_ reply: DaemonHarness.Reply, _ name: String) -> [String: Any]? {
        (reply.object["drills"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    @Test func listsDrillsWithTheirNextRunsInTheirZoneAndInUTC() async throws {
        try await DaemonHarness.with(clock: { Self.now }) { yardd in
            let reply = try await yardd.get("/v1/drills?count=8", as: .role(.viewer))
            #expect(reply.status == 200, "\(reply.json)")
            let names = (reply.object["drills"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.sorted() == ["drill-db-primary-loss", "drill-zone-outage"])
            let drill = try #require(Self.drill(reply, "drill-zone-outage"))
            #expect(drill["topology"] as? String == "local")
            let schedule = try #require(drill["schedule"] as? [String: Any])
            #expect(schedule["cron"] as? String == "0 3 1 1,4,7,10 *")
            #expect(schedule["timeZone"] as? String == "Asia/Shanghai")
            #expect(schedule["concurrency"] as? String == "forbid")
            #expect(schedule["blackouts"] as? [String] == ["singles-day-freeze", "weekends"])
            let runs = try #require(drill["nextRuns"] as? [[String: Any]])
            #expect(runs.count == 8)
            #expect(runs.first?["local"] as? String == "2026-04-01T03:00:00+08:00")
            #expect(runs.first?["utc"] as? String == "2026-03-31T19:00:00Z")
            #expect(runs.first?["fire"] as? String == "2026-03-31T19:00:00Z")
            #expect(runs.first?["blackout"] == nil)
            // 2028-01-01 is a Saturday: listed, with the blackout that will skip it.
            let saturday = try #require(runs.first { $0["local"] as? String == "2028-01-01T03:00:00+08:00" })
            #expect(saturday["blackout"] as? String == "weekends")

            let bad = try await yardd.get("/v1/drills?count=500")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "bad-request")
        }
    }

    @Test func runsADrillByHandAndRefusesASecondWhileTheFirstRuns() async throws {
        try await DaemonHarness.with(drillLauncher: Self.recording()) { yardd in
            let started = try await yardd.post("/v1/drills/drill-zone-outage/run", as: .role(.operator))
            #expect(started.status == 202, "\(started.json)")
            #expect(started.object["status"] as? String == "started")
            let id = try #require(started.object["id"] as? String)

            let runs = try await yardd.get("/v1/drills/runs?playbook=drill-zone-outage")
            #expect(runs.status == 200)
            let listed = try #require(runs.object["runs"] as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(listed.first?["status"] as? String == "running")
            #expect(Self.drill(try await yardd.get("/v1/drills"), "drill-zone-outage")?["runningRun"] as? String == id)

            let second = try await yardd.post("/v1/drills/drill-zone-outage/run", as: .role(.operator))
            #expect(second.status == 409)
            #expect(second.errorCode == "drill-running")
            let details = (second.object["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details?["run"] == id)

            let audit = try await yardd.store.listAudit(limit: 10)
            #expect(audit.map(\.action) == ["drill.run", "drill.run", "drill.run", "drill.run"])
            #expect(audit.map(\.outcome) == ["refused", "requested", "accepted", "requested"])
            #expect(audit.map(\.actor) == ["operator", "operator", "operator", "operator"])
            #expect(audit.map(\.target) == Array(repeating: "drill-zone-outage", count: 4))
        }
    }

    @Test func showsOneRunWithItsReportAsStored() async throws {
        try await DaemonHarness.with(drillLauncher: Self.recording(runFor: .milliseconds(100))) { yardd in
            let id = try #require(try await yardd.post("/v1/drills/drill-db-primary-loss/run").object["id"] as? String)
            var reply = try await yardd.get("/v1/drills/runs/\(id)", as: .role(.viewer))
            for _ in 0..<100 where reply.object["status"] as? String != "passed" {
                try await Task.sleep(for: .milliseconds(50))
                reply = try await yardd.get("/v1/drills/runs/\(id)", as: .role(.viewer))
            }
            #expect(reply.status == 200)
            #expect(reply.object["id"] as? String == id)
            #expect(reply.object["playbook"] as? String == "drill-db-primary-loss")
            #expect(reply.object["status"] as? String == "passed")
            #expect(reply.object["finishedAt"] as? String != nil)
            #expect(reply.object["report"] as? [String: String] == ["verdict": "passed"])

            let missing = try await yardd.get("/v1/drills/runs/run-nope")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not-found")
        }
    }

    @Test func skippedAndMissedFireTimesAreListedWithTheirReasons() async throws {
        let fire = Date(timeIntervalSince1970: 1_774_983_600) // 2026-03-31T19:00:00Z
        try await DaemonHarness.with(seed: { store in
            let recorder = ScheduledFireRecord(store: store)
            try await recorder.recordSkip(playbook: "drill-zone-outage", fire: fire.addingTimeInterval(-86_400 * 91),
                                          reason: .missed(lateBy: .hours(3)), now: Seed.t0)
            try await recorder.recordSkip(playbook: "drill-zone-outage", fire: fire, reason: .blackout("weekends"), now: Seed.t0.addingTimeInterval(1))
        }) { yardd in
            let reply = try await yardd.get("/v1/drills/runs?playbook=drill-zone-outage&limit=10")
            let runs = try #require(reply.object["runs"] as? [[String: Any]])
            #expect(runs.map { $0["status"] as? String } == ["skipped", "missed"])
            #expect(runs.map { $0["reason"] as? String } == ["in blackout weekends", "missed by 3h"])
            #expect(runs.first?["fire"] as? String == "2026-03-31T19:00:00Z")
            #expect(runs.first?["id"] as? String == "sched-20260331-190000-drill-zone-outage")

            let one = try await yardd.get("/v1/drills/runs/sched-20260331-190000-drill-zone-outage")
            #expect(one.status == 200)
            let skipped = try #require((one.object["report"] as? [String: Any])?["skipped"] as? [String: Any])
            #expect(skipped["kind"] as? String == "blackout")
            #expect(skipped["blackout"] as? String == "weekends")
            #expect(skipped["fire"] as? String == "2026-03-31T19:00:00Z")

            #expect(try await yardd.get("/v1/drills/runs?limit=0").status == 400)
        }
    }

    @Test func aDrillIsRefusedWhileAReleaseOfItsTopologyRuns() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }, drillLauncher: Self.recording()) { yardd in
            let reply = try await yardd.post("/v1/drills/drill-zone-outage/run", as: .role(.operator))
            #expect(reply.status == 409)
            #expect(reply.errorCode == "release-running")
            let details = (reply.object["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details?["topology"] == "local")
            #expect(details?["release"]?.contains("rel-1") == true)
            #expect(try await yardd.store.listDrillRuns(playbook: nil, limit: 10).isEmpty)
            // drill-db-primary-loss drills the same topology (local, where its PostgreSQL pair runs): held back as well.
            #expect(try await yardd.post("/v1/drills/drill-db-primary-loss/run").status == 409)
        }
    }

    @Test func anUnknownPlaybookIsA404AndWithoutARunnerA503() async throws {
        try await DaemonHarness.with { yardd in
            let unknown = try await yardd.post("/v1/drills/drill-nope/run")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not-found")
            let noRunner = try await yardd.post("/v1/drills/drill-zone-outage/run")
            #expect(noRunner.status == 503)
            #expect(noRunner.errorCode == "no-drill-runner")
        }
    }

    @Test func theDaemonFiresASchedule() async throws {
        // The daemon's clock runs from 1.5 s before drill-zone-outage's 2026-04-01 03:00 +08:00, at wall-clock speed.
        let origin = Date(), start = Date(timeIntervalSince1970: 1_774_983_600 - 1.5)
        let clock: @Sendable () -> Date = { start.addingTimeInterval(Date().timeIntervalSince(origin)) }
        try await DaemonHarness.with(drillLauncher: { store in RecordingDrillLauncher(store: store, clock: clock) }, clock: clock) { yardd in
            var runs: [DrillRunRecord] = []
            for _ in 0..<300 {
                runs = try await yardd.store.listDrillRuns(playbook: "drill-zone-outage", limit: 10)
                if !runs.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(runs.count == 1)
            #expect(runs.first?.status == "running")
            let state = try await yardd.store.scheduleState(playbook: "drill-zone-outage")
            #expect(state?.handledThrough.map { $0 >= Date(timeIntervalSince1970: 1_774_983_600) } == true)
        }
    }
}
