import Foundation
import SwitchyardTesting
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
#if canImport(Glibc)
import Glibc
#endif

/// `yard release watch` re-attached from a second process to a release that yardd runs, mid-bake: the journal so far
/// and then each step, ending with the release's status (2 when it is aborted, 0 when it is promoted), the same exit
/// status as the `yard release` that started it. `yard release list --running` lists it meanwhile.
@Suite(.serialized) struct YardReleaseWatchProcessTests {
    @Test func watchReattachedMidBakeEndsWithTheReleasesStatus() async throws {
        let workspace = try FleetWorkspace(basePort: 25000, bake: "6s")
        var daemon: YarddExecutable?
        var children: [Process] = []
        do {
            try await watchMidBake(workspace, daemon: &daemon, children: &children)
        } catch {
            for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
            await daemon?.stop(grace: .seconds(5))
            await workspace.tearDown()
            throw error
        }
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        await daemon?.stop(grace: .seconds(5))
        await workspace.tearDown()
    }

    /// A `yard` process in the background, its output in files of the workspace.
    struct Background {
        let process: Process
        let out: URL, err: URL
        var outText: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var errText: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

        init(_ arguments: [String], _ workspace: FleetWorkspace, environment: [String: String] = [:], children: inout [Process]) throws {
            try self.init(arguments, in: workspace.folder, environment: environment, children: &children)
        }

        init(_ arguments: [String], in folder: URL, environment: [String: String] = [:], children: inout [Process]) throws {
            let id = UUID().uuidString.prefix(6)
            out = folder.appendingPathComponent("bg-\(id).out")
            err = folder.appendingPathComponent("bg-\(id).err")
            process = try ProcessRunner.launch("yard", arguments, in: folder, environment: environment, stdout: out, stderr: err)
            children.append(process)
        }

        /// Its exit status once it has exited (nil when it runs past `timeout`).
        func exit(within timeout: Duration) async throws -> Int32? {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    /// Waits until yardd says release `id` (or the only running one) is baking; returns its id.
    func baking(_ client: YarddClient, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let running = try? await client.releases(limit: 5, running: true).first, running.phase == "baking" { return running.id }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Timeout(what: "a release to reach its bake")
    }

    struct Timeout: Error { var what: String }

    func watchMidBake(_ workspace: FleetWorkspace, daemon: inout YarddExecutable?, children: inout [Process]) async throws {
        let created = try await ProcessRunner.run("yard", ["token", "create", "ci", "--role", "operator", "--json"], in: workspace.folder)
        #expect(created.status == 0, "\(created.err)")
        let token = try #require((try JSONSerialization.jsonObject(with: Data(created.out.utf8)) as? [String: Any])?["token"] as? String)
        try await workspace.up(store: try workspace.store())
        let started = try await YarddExecutable.start(workspace, port: workspace.basePort + 2)
        daemon = started
        let remote = ["--server", started.server, "--token", token]
        let client = try YarddClient(server: started.server, token: token)

        // 1. Aborted mid-bake: the starter and the watcher both end with 2.
        let release = try Background(["release", "gateway", "2.0.0", "--json"] + remote, workspace, children: &children)
        let id = try await baking(client)
        let listed = try await ProcessRunner.run("yard", ["release", "list", "--running", "--json"] + remote, in: workspace.folder)
        #expect(listed.status == 0, "\(listed.err)")
        let running = (try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(running == [id], "\(listed.out)")

        let watch = try Background(["release", "watch", "--json"] + remote, workspace, children: &children)
        // The watcher shows what happened before it attached (the deploy) and stays for the rest.
        let attached = ContinuousClock.now + .seconds(20)
        while !watch.errText.contains("▸ deploy 2.0.0 to green"), watch.process.isRunning, ContinuousClock.now < attached {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(watch.errText.contains("watching release \(id) in yardd at \(started.server)"), "\(watch.errText)")
        #expect(watch.errText.contains("▸ deploy 2.0.0 to green"), "\(watch.errText)")
        #expect(watch.process.isRunning, "the watcher follows a release that is still baking")

        let abort = try await ProcessRunner.run("yard", ["release", "abort", id, "--reason", "watch test"] + remote, in: workspace.folder)
        #expect(abort.status == 0, "\(abort.err)")
        let watchStatus = try await watch.exit(within: .seconds(60))
        let releaseStatus = try await release.exit(within: .seconds(60))
        #expect(watchStatus == 2, "\(watch.errText)\n\(started.logText)")
        #expect(releaseStatus == 2, "\(release.errText)")
        let final = try #require(try JSONSerialization.jsonObject(with: Data(watch.outText.utf8)) as? [String: Any], "\(watch.outText)")
        #expect(final["id"] as? String == id)
        #expect(final["outcome"] as? String == "rolled-back")
        #expect(watch.errText.contains("finished: rolled-back"), "\(watch.errText)")

        // 2. Promoted: a watcher of that release by id ends with 0, as the starter does.
        let second = try Background(["release", "gateway", "2.0.0"] + remote, workspace, children: &children)
        let secondID = try await baking(client)
        #expect(secondID != id)
        let watchByID = try await ProcessRunner.run("yard", ["release", "watch", secondID] + remote, in: workspace.folder)
        #expect(watchByID.status == 0, "\(watchByID.out)\n\(watchByID.err)")
        #expect(watchByID.out.contains("finished: promoted"), "\(watchByID.out)")
        #expect(watchByID.out.contains("✔ gateway 2.0.0: promoted"), "\(watchByID.out)")
        #expect(try await second.exit(within: .seconds(60)) == 0, "\(second.errText)")

        // Nothing runs now: the list is empty and a watch without an id says so (exit 1).
        let none = try await ProcessRunner.run("yard", ["release", "list", "--running", "--json"] + remote, in: workspace.folder)
        #expect((try JSONSerialization.jsonObject(with: Data(none.out.utf8)) as? [Any])?.isEmpty == true, "\(none.out)")
        let nothing = try await ProcessRunner.run("yard", ["release", "watch"] + remote, in: workspace.folder)
        #expect(nothing.status == 1)
        #expect(nothing.err.contains("no release is running on \(started.server)"), "\(nothing.err)")
    }

    /// Without a server, `yard release watch` follows the state file that another `yard release` writes: entries
    /// written after it attached are shown, and it ends with the release's status once the record is finished.
    @Test func watchWithoutAServerFollowsTheLocalStateFileToTheEnd() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-watch-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".yard"), withIntermediateDirectories: true)
        var children: [Process] = []
        defer {
            for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
            try? FileManager.default.removeItem(at: folder)
        }
        let store = try SQLiteStateStore(path: folder.appendingPathComponent(".yard/state.sqlite").path)
        try await Seed.release(store, id: "rel-local")
        let watch = try Background(["release", "watch", "--json"], in: folder, children: &children)
        let attached = ContinuousClock.now + .seconds(20)
        while !watch.errText.contains("release of gateway 2.0 started by ci"), watch.process.isRunning, ContinuousClock.now < attached {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(watch.errText.contains("watching release rel-local in .yard/state.sqlite"), "\(watch.errText)")
        #expect(watch.process.isRunning, "an unfinished release is followed, not reported")

        try await store.appendJournal(release: "rel-local", [.note("written after the watcher attached")], fences: [], now: Date())
        var machine = ReleaseMachine(plan: Seed.plan())
        _ = machine.start()
        _ = machine.abort(reason: "watch test")
        _ = machine.retired(ok: true, detail: "new slot retired")
        try await store.saveRelease(id: "rel-local", machine: machine, journal: [.note("finished: rolled-back: aborted: watch test")],
                                    routing: nil, fences: [], now: Date())
        #expect(try await watch.exit(within: .seconds(30)) == 2, "\(watch.errText)")
        #expect(watch.errText.contains("written after the watcher attached"), "\(watch.errText)")
        #expect(watch.errText.contains("finished: rolled-back: aborted: watch test"), "\(watch.errText)")
        let final = try #require(try JSONSerialization.jsonObject(with: Data(watch.outText.utf8)) as? [String: Any], "\(watch.outText)")
        #expect(final["id"] as? String == "rel-local")
        #expect(final["outcome"] as? String == "rolled-back")
    }
}
