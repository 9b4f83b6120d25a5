import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// A `yard release` frozen with SIGSTOP mid-bake, past its lease, while a second `yard release` of the service starts:
/// the second takes the first release over (its driver lease gone, a new generation) and then releases its own version.
/// Resumed with SIGCONT, the first finds its lease taken, writes nothing more and exits with an error; the fleet ends
/// on the second's verdict, and users' requests never failed.
@Suite(.serialized) struct FrozenReleaseTests {
    @Test func aFrozenReleaseIsTakenOverAndItsWritesAreRefusedWhenItWakes() async throws {
        let workspace = try FleetWorkspace(basePort: 34200, bake: "4s")
        var pids: [Int32] = []
        do {
            try await run(workspace, pids: &pids)
        } catch {
            for pid in pids { kill(pid, SIGCONT); kill(pid, SIGKILL) }
            await workspace.tearDown()
            throw error
        }
        for pid in pids { kill(pid, SIGCONT); kill(pid, SIGKILL) }
        await workspace.tearDown()
    }

    /// `yard ARGS` in the workspace, through the project's spawner (waited for with waitpid).
    func yard(_ workspace: FleetWorkspace, _ arguments: [String], log: String) throws -> Int32 {
        let binaries = try FleetWorkspace.binaries()
        let command = ([binaries.appendingPathComponent("yard").path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try Spawner.spawn(["/bin/sh", "-c", "cd '\(workspace.folder.path)' && exec \(command)"],
                                 logPath: workspace.folder.appendingPathComponent(log).path, environment: ["SWITCHYARD_BIN_DIR": binaries.path])
    }

    func run(_ workspace: FleetWorkspace, pids: inout [Int32]) async throws {
        let store = try workspace.store()
        try await workspace.up(store: store)
        var traffic = LoadConfiguration(target: "127.0.0.1:\(workspace.basePort)")
        traffic.requestsPerSecond = 20
        traffic.streams = 0
        let load = LoadGenerator(configuration: traffic)
        load.start(limit: .seconds(120))

        let first = try yard(workspace, ["release", "gateway", "2.0.0"], log: "first.log")
        pids.append(first)
        var frozenRelease: ReleaseRecord?
        let deadline = ContinuousClock.now + .seconds(60)
        while frozenRelease == nil, ContinuousClock.now < deadline {
            if let record = try await store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == .baking { frozenRelease = record }
            else { try await Task.sleep(for: .milliseconds(50)) }
        }
        let frozen = try #require(frozenRelease, "the first release never baked")
        // Frozen outside a write: a process stopped inside a SQLite write transaction keeps the file's write lock, and no
        // process can take it from a stopped one (docs/state.md). What this test shows is the lease takeover and the
        // fencing, so it freezes the first release again until the file is free.
        let probe = try SQLiteStateStore(path: workspace.statePath, busyTimeout: .milliseconds(300))
        var frozenOutsideAWrite = false
        for _ in 0..<40 where !frozenOutsideAWrite {
            kill(first, SIGSTOP)
            if (try? await probe.acquireLock(name: "test-probe", holder: "frozen-release-test", lease: .seconds(1), now: Date())) != nil {
                _ = try? await probe.releaseLock(name: "test-probe", holder: "frozen-release-test")
                frozenOutsideAWrite = true
            } else {
                kill(first, SIGCONT)
                try await Task.sleep(for: .milliseconds(37))
            }
        }
        try #require(frozenOutsideAWrite, "the first release was inside a write each time it was frozen")
        let journalAtFreeze = try await store.journal(release: frozen.id).count

        // Past the driver's lease, a second release of the service starts: it takes the frozen one over first.
        try await Task.sleep(for: .seconds(6))
        let second = try yard(workspace, ["release", "gateway", "3.0.0"], log: "second.log")
        pids.append(second)
        var secondID: String?
        while secondID == nil, ContinuousClock.now < deadline + .seconds(60) {
            secondID = try await store.listReleases(ReleaseQuery(limit: 5)).first(where: { $0.version == "3.0.0" && $0.phase == .baking })?.id
            if secondID == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(secondID != nil, "the second release never baked: \(log(workspace, "second.log"))")
        // The frozen release was finished by the second process, not by the first.
        let takenOver = try #require(try await store.release(id: frozen.id))
        #expect(takenOver.isFinished, "\(takenOver.phase)")
        let entriesAfterTakeover = try await store.journal(release: frozen.id)
        #expect(entriesAfterTakeover.count > journalAtFreeze)
        #expect(entriesAfterTakeover.contains { $0.message.hasPrefix("resumed in phase baking") })

        // The first wakes up mid-bake of the second: its lease is gone, so it acts no more.
        kill(first, SIGCONT)
        let firstStatus = await Spawner.waitForExit(first, timeout: .seconds(30))
        pids.removeAll { $0 == first }
        #expect(firstStatus == 1, "the woken release exits with an error: \(log(workspace, "first.log"))")
        #expect(log(workspace, "first.log").contains("may not write or act any more"), "\(log(workspace, "first.log"))")
        #expect(try await store.journal(release: frozen.id).count == entriesAfterTakeover.count, "the woken release wrote nothing more")

        let secondStatus = await Spawner.waitForExit(second, timeout: .seconds(90))
        pids.removeAll { $0 == second }
        #expect(secondStatus == 0, "\(log(workspace, "second.log"))")
        let report = await load.stop()
        let routing = try #require(try await store.routing(service: "gateway"))
        let liveSlot = try #require(routing.live["zone-a"])
        #expect(routing.versions[liveSlot] == "3.0.0", "the fleet ends on the second release: \(routing)")
        #expect(report.requests.failed == 0, "users' requests failed: \(report.requests)")
        #expect(report.requests.sent > 100)
    }

    func log(_ workspace: FleetWorkspace, _ name: String) -> String {
        (try? String(contentsOf: workspace.folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
}
