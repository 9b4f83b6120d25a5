import Foundation
import SwitchyardTesting
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
#if canImport(Glibc)
import Glibc
#endif

/// `yard drill run|watch|abort|history|report` on the real executables, on a real fleet (gateways, nginx, traffic):
/// through yardd (`YARD_SERVER`, `YARD_TOKEN_FILE`) with the same live view, report and exit status as a local run,
/// and locally, where `yard drill abort` reaches a `yard drill run` in another process. An abort really restores the
/// fault: the instances it stopped run again and no restore is left pending.
@Suite(.serialized) struct YardDrillProcessTests {
    typealias Background = YardReleaseWatchProcessTests.Background

    static func playbooks(_ workspace: FleetWorkspace) throws {
        // drill-quick has a schedule whose next fire is weeks away (yard drill schedule lists it; the daemon never fires it here).
        let schedules = ["drill-quick": "schedule: {cron: \"0 3 1 1 *\", timeZone: Asia/Shanghai, blackouts: [{name: freeze, from: 2027-02-01T00:00, to: 2027-02-02T00:00}]}\n"]
        for (name, duration) in [("drill-quick", "4s"), ("drill-long", "60s")] {
            try """
            apiVersion: switchyard/v1
            kind: DrillPlaybook
            name: \(name)
            \(schedules[name] ?? "")topology: daemon-\(workspace.basePort)
            steadyState:
              - {name: ready, path: /readyz, requests: 3}
            load: {requestsPerSecond: 40, streams: 2, streamDuration: 2s}
            fault: {kind: zone-outage, zone: zone-b, mode: stop}
            duration: \(duration)
            objectives: {rto: 10s, minSuccessRate: 99%, maxRequestsLost: 10}
            """.write(to: workspace.folder.appendingPathComponent("playbooks/\(name).yaml"), atomically: true, encoding: .utf8)
        }
    }

    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// The run of `playbook` once its fault is injected (its report says `inject done`).
    static func injected(_ store: any StateStore, playbook: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let run = try await store.unfinishedDrillRuns().last(where: { $0.playbook == playbook }),
               let report = DrillRunFeed.report(run), report.steps.contains(where: { $0.step == "inject" && $0.status == "done" }) {
                return run.id
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw YardReleaseWatchProcessTests.Timeout(what: "drill \(playbook) to inject its fault")
    }

    /// Every instance of the live slot runs, and the run left no restore pending.
    static func expectRestored(_ workspace: FleetWorkspace, run: String, slot: Slot) async throws {
        #expect(try await workspace.store().pendingRestoreActions(run: run).isEmpty)
        let live = await ProcessInstanceDriver(logDirectory: workspace.folder.path, readiness: ReadinessChecker(client: YardHTTPClient.shared))
            .running(workspace.service, slot: slot)
        #expect(live.count == 4, "zone-b's instances run again after the restore")
    }

    /// Two JSON documents, compared key by key (each key named when it differs).
    static func expectSame(_ local: Any, _ remote: Any, _ what: String) {
        switch (local, remote) {
        case (let l as [String: Any], let r as [String: Any]):
            #expect(Set(l.keys) == Set(r.keys), "\(what): keys differ: local \(l.keys.sorted()), server \(r.keys.sorted())")
            for key in Set(l.keys).union(r.keys).sorted() {
                expectSame(l[key] ?? NSNull(), r[key] ?? NSNull(), "\(what).\(key)")
            }
        case (let l as [Any], let r as [Any]):
            #expect(l.count == r.count, "\(what): \(l.count) items locally, \(r.count) through the server")
            for (index, (a, b)) in zip(l, r).enumerated() { expectSame(a, b, "\(what)[\(index)]") }
        default:
            #expect("\(local)" == "\(remote)", "\(what): local \(local), server \(remote)")
        }
    }

    // MARK: through yardd

    @Test func drillsThroughYarddRunWatchAbortAndReadTheSameAsLocally() async throws {
        let workspace = try FleetWorkspace(basePort: 25100, bake: "2s")
        var daemon: YarddExecutable?
        var children: [Process] = []
        do {
            try await throughTheDaemon(workspace, daemon: &daemon, children: &children)
        } catch {
            for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
            await daemon?.stop(grace: .seconds(10))
            await workspace.tearDown()
            throw error
        }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        await daemon?.stop(grace: .seconds(10))
        await workspace.tearDown()
    }

    func throughTheDaemon(_ workspace: FleetWorkspace, daemon: inout YarddExecutable?, children: inout [Process]) async throws {
        try Self.playbooks(workspace)
        let created = try await ProcessRunner.run("yard", ["token", "create", "ci", "--role", "operator", "--json"], in: workspace.folder)
        #expect(created.status == 0, "\(created.err)")
        let token = try #require((try Self.json(created.out) as? [String: Any])?["token"] as? String)
        let tokenFile = workspace.folder.appendingPathComponent("ci.token")
        try (token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
        try await workspace.up(store: try workspace.store())
        let started = try await YarddExecutable.start(workspace, port: workspace.basePort + 2)
        daemon = started
        let environment = ["YARD_SERVER": started.server, "YARD_TOKEN_FILE": tokenFile.path]
        func yard(_ arguments: [String], remote: Bool = true) async throws -> ProcessRunner.Result {
            try await ProcessRunner.run("yard", arguments, in: workspace.folder, environment: remote ? environment : [:])
        }

        // 1. A drill run through yardd to its report: the live view on stderr, the report on stdout, exit 0.
        let quick = try await yard(["drill", "run", "drill-quick", "--json"])
        #expect(quick.status == 0, "\(quick.err)\n\(started.logText)")
        let report = try #require(try Self.json(quick.out) as? [String: Any], "\(quick.out)")
        #expect(report["outcome"] as? String == "passed")
        let quickID = try #require(report["id"] as? String)
        #expect(quick.err.contains("drill run \(quickID) runs in yardd at \(started.server)"), "\(quick.err)")
        #expect(quick.err.contains("drill \(quickID): zone-outage"), "\(quick.err)")
        for line in ["inject", "restore", "FAULT", "analyse"] { #expect(quick.err.contains(line), "\(line) in \(quick.err)") }
        // The flags of a local run only are refused through the server, not ignored.
        let dry = try await yard(["drill", "run", "drill-quick", "--dry-run"])
        #expect(dry.status == 1)
        #expect(dry.err.contains("--dry-run apply to a local run only"), "\(dry.err)")

        // 2. A long drill aborted mid-fault through the API: the starter and a watcher re-attached from another process
        // both end with 2 and the aborted report; the fault is restored long before its 60 s.
        let long = try Background(["drill", "run", "drill-long", "--json"], workspace, environment: environment, children: &children)
        let longID = try await Self.injected(try workspace.store(), playbook: "drill-long")
        let watch = try Background(["drill", "watch", "--json"], workspace, environment: environment, children: &children)
        let attached = ContinuousClock.now + .seconds(20)
        while !watch.errText.contains("FAULT"), watch.process.isRunning, ContinuousClock.now < attached { try await Task.sleep(for: .milliseconds(50)) }
        #expect(watch.errText.contains("watching drill run \(longID) in yardd at \(started.server)"), "\(watch.errText)")
        #expect(watch.errText.contains("inject"), "the watcher shows the steps before it attached: \(watch.errText)")
        #expect(watch.process.isRunning, "the watcher follows a drill still running")

        let abortedAt = ContinuousClock.now
        let abort = try await yard(["drill", "abort", longID, "--reason", "ops test", "--json"])
        #expect(abort.status == 0, "\(abort.err)")
        #expect((try Self.json(abort.out) as? [String: Any])?["status"] as? String == "abort-requested", "\(abort.out)")
        let watchStatus = try await watch.exit(within: .seconds(45))
        let longStatus = try await long.exit(within: .seconds(45))
        #expect(watchStatus == 2, "\(watch.errText)\n\(started.logText)")
        #expect(longStatus == 2, "\(long.errText)")
        #expect(ContinuousClock.now - abortedAt < .seconds(40), "the abort cut the 60 s fault short")
        let aborted = try #require(try Self.json(watch.outText) as? [String: Any], "\(watch.outText)")
        #expect(aborted["id"] as? String == longID)
        #expect(aborted["outcome"] as? String == "aborted")
        #expect((aborted["notes"] as? [String])?.contains("ops test") == true, "\(aborted)")
        let steps = (aborted["steps"] as? [[String: Any]]) ?? []
        #expect(steps.contains { $0["step"] as? String == "restore" && $0["status"] as? String == "done" }, "\(steps)")
        #expect(steps.contains { $0["step"] as? String == "observe" && $0["status"] as? String == "skipped" }, "\(steps)")
        #expect(try #require(try Self.json(long.outText) as? [String: Any])["outcome"] as? String == "aborted")
        try await Self.expectRestored(workspace, run: longID, slot: .blue)
        // Audited like every mutation, with the token's name.
        let audit = try await workspace.store().listAudit(limit: 50).filter { $0.action == "drill.abort" }
        #expect(audit.map(\.outcome) == ["accepted", "requested"])
        #expect(audit.allSatisfy { $0.actor == "ci" && $0.target == longID })
        #expect(audit.last?.detail == "ops test", "the request is audited with its reason")
        // Over now: a second abort is refused (exit 1, the API's code).
        let again = try await yard(["drill", "abort", longID, "--json"])
        #expect(again.status == 1)
        #expect((try Self.json(again.out) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String } == "drill-over", "\(again.out)")

        // 3. The same JSON locally and through yardd, for the same state.
        for arguments in [["drill", "history", "--json"], ["drill", "report", longID, "--json"], ["drill", "report", quickID, "--json"],
                          ["drill", "schedule", "--json", "--count", "3"], ["drill", "schedule"], ["drill", "history"]] {
            let local = try await yard(arguments, remote: false), remote = try await yard(arguments)
            #expect(local.status == 0 && remote.status == 0, "\(local.err)\n\(remote.err)")
            if arguments.contains("--json") {
                Self.expectSame(try Self.json(local.out), try Self.json(remote.out), arguments.joined(separator: " "))
            } else {
                #expect(local.out == remote.out, "\(arguments.joined(separator: " ")): the same text locally and through yardd")
            }
        }
        let schedule = try #require(try Self.json(try await yard(["drill", "schedule", "--json"]).out) as? [String: [[String: Any]]])
        #expect(schedule["drill-quick"]?.first?["local"] as? String == "2027-01-01T03:00:00+08:00", "\(schedule)")
        let history = try #require(try Self.json(try await yard(["drill", "history", "--json"]).out) as? [[String: Any]])
        #expect(history.map { $0["id"] as? String } == [longID, quickID])
        #expect(history.first?["outcome"] as? String == "aborted")
        #expect(history.first?["abortRequestedAt"] is String)
        #expect(history.last?["verdict"] as? String == "passed")

        let release = try await yard(["release", "gateway", "2.0.0", "--json"])
        #expect(release.status == 0, "\(release.err)\n\(started.logText)")
        for arguments in [["release", "status", "--json"], ["release", "history", "--json"], ["release", "list", "--running", "--json"]] {
            let local = try await yard(arguments, remote: false), remote = try await yard(arguments)
            #expect(local.status == 0 && remote.status == 0, "\(local.err)\n\(remote.err)")
            Self.expectSame(try Self.json(local.out), try Self.json(remote.out), arguments.joined(separator: " "))
        }
        let status = try #require(try Self.json(try await yard(["release", "status", "--json"]).out) as? [String: Any])
        #expect((status["routing"] as? [String: Any])?["live"] as? [String: String] == ["zone-a": "green", "zone-b": "green"], "\(status)")
        #expect((status["gates"] as? [[String: Any]])?.isEmpty == false, "gates as the API's array: \(status)")
        // With YARD_SERVER set, the local file is not read: a daemon that is gone is an error, not an empty history.
        let gone = try await ProcessRunner.run("yard", ["drill", "history"], in: workspace.folder,
                                                environment: ["YARD_SERVER": "http://127.0.0.1:\(workspace.basePort + 3)", "YARD_TOKEN_FILE": tokenFile.path])
        #expect(gone.status == 1)
        #expect(gone.err.contains("cannot reach yardd"), "\(gone.err)")
    }

    // MARK: locally

    /// `yard drill abort` and `yard drill watch` without a server: they meet a `yard drill run` in another process through
    /// the state file; the run restores its fault at once and both end with 2.
    @Test func aLocalDrillIsAbortedAndWatchedFromOtherProcesses() async throws {
        let workspace = try FleetWorkspace(basePort: 25200)
        var children: [Process] = []
        var runner: Int32?
        do {
            try await locally(workspace, runner: &runner, children: &children)
        } catch {
            for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
            if let runner { kill(runner, SIGKILL); _ = await Spawner.waitForExit(runner, timeout: .seconds(5)) }
            await workspace.tearDown()
            throw error
        }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        await workspace.tearDown()
    }

    func locally(_ workspace: FleetWorkspace, runner: inout Int32?, children: inout [Process]) async throws {
        try Self.playbooks(workspace)
        let store = try workspace.store()
        try await workspace.up(store: store)
        // Spawned in a session of its own (not with Foundation's Process): the gateways its restore starts would keep
        // Process from seeing it exit.
        let log = workspace.folder.appendingPathComponent("drill-run.log")
        let yard = try FleetWorkspace.binaries().appendingPathComponent("yard").path
        let pid = try Spawner.spawn(["/bin/sh", "-c", "cd '\(workspace.folder.path)' && exec '\(yard)' drill run drill-long --json"], logPath: log.path,
                                    environment: ["SWITCHYARD_BIN_DIR": try FleetWorkspace.binaries().path])
        runner = pid
        let id = try await Self.injected(store, playbook: "drill-long")
        let watch = try Background(["drill", "watch", id, "--json"], workspace, children: &children)
        let attached = ContinuousClock.now + .seconds(20)
        while !watch.errText.contains("FAULT"), watch.process.isRunning, ContinuousClock.now < attached { try await Task.sleep(for: .milliseconds(50)) }
        #expect(watch.errText.contains("watching drill run \(id) in .yard/state.sqlite"), "\(watch.errText)")
        #expect(watch.errText.contains("inject"), "\(watch.errText)")

        let abort = try await ProcessRunner.run("yard", ["drill", "abort", id, "--reason", "local test"], in: workspace.folder)
        #expect(abort.status == 0, "\(abort.err)")
        #expect(abort.out.contains("\(id): abort-requested"), "\(abort.out)")
        let runStatus = await Spawner.waitForExit(pid, timeout: .seconds(45))
        runner = nil
        let runLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(runStatus == 2, "\(runLog)")
        #expect(try await watch.exit(within: .seconds(20)) == 2, "\(watch.errText)")
        let final = try #require(try Self.json(watch.outText) as? [String: Any], "\(watch.outText)")
        #expect(final["outcome"] as? String == "aborted")
        #expect((final["notes"] as? [String])?.contains("local test") == true)
        #expect(watch.errText.contains("restore"), "\(watch.errText)")
        try await Self.expectRestored(workspace, run: id, slot: .blue)
        let audit = try await store.listAudit(limit: 50).filter { $0.action == "drill.abort" }
        #expect(audit.map(\.outcome) == ["accepted", "requested"])
        #expect(audit.allSatisfy { $0.actor.hasSuffix("@cli") && $0.target == id })

        // A run whose process was killed mid-fault: nobody would read the request, so the abort restores it there and then.
        let orphan = try Spawner.spawn(["/bin/sh", "-c", "cd '\(workspace.folder.path)' && exec '\(yard)' drill run drill-long"], logPath: log.path,
                                       environment: ["SWITCHYARD_BIN_DIR": try FleetWorkspace.binaries().path])
        runner = orphan
        let orphanID = try await Self.injected(store, playbook: "drill-long")
        kill(orphan, SIGKILL)
        _ = await Spawner.waitForExit(orphan, timeout: .seconds(10))
        runner = nil
        let rescue = try await ProcessRunner.run("yard", ["drill", "abort", orphanID], in: workspace.folder)
        #expect(rescue.status == 0, "\(rescue.err)")
        #expect(rescue.out.contains("\(orphanID): restored-after-crash"), "\(rescue.out)\n\(rescue.err)")
        #expect(try await store.drillRun(id: orphanID)?.isFinished == true)
        try await Self.expectRestored(workspace, run: orphanID, slot: .blue)

        // No run now: a watch without an id says so (exit 1); an unknown run is not found.
        let nothing = try await ProcessRunner.run("yard", ["drill", "watch"], in: workspace.folder)
        #expect(nothing.status == 1)
        #expect(nothing.err.contains("no drill is running here"), "\(nothing.err)")
        let unknown = try await ProcessRunner.run("yard", ["drill", "abort", "drill-nope"], in: workspace.folder)
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("no drill run drill-nope"), "\(unknown.err)")
    }
}
