import Foundation
import SwitchyardTesting
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// The `yardd` executable killed with SIGKILL in the middle of a bake and started again on the same state file:
/// it resumes the release to its outcome. `yard release --server`, which started it, and a second client following
/// the event stream both reconnect with `Last-Event-ID`; the client sees every journal entry once.
@Suite(.serialized) struct YarddCrashTests {
    @Test func yarddKilledMidBakeResumesTheReleaseOnRestart() async throws {
        let workspace = try FleetWorkspace(basePort: 23320, bake: "8s")
        var daemons: [YarddExecutable] = []
        do {
            try await killAndResume(workspace, daemons: &daemons)
        } catch {
            for daemon in daemons { await daemon.stop(grace: .seconds(5)) }
            await workspace.tearDown()
            throw error
        }
        for daemon in daemons { await daemon.stop(grace: .seconds(5)) }
        await workspace.tearDown()
    }

    func killAndResume(_ workspace: FleetWorkspace, daemons: inout [YarddExecutable]) async throws {
        let store = try workspace.store()
        try await workspace.up(store: store)
        let (_, token) = try await TokenAdmin.create(name: "ci", role: .operator, in: store, actor: "test")
        let port = workspace.basePort + 2
        let first = try await YarddExecutable.start(workspace, port: port)
        daemons.append(first)
        let client = try YarddClient(server: first.server, token: token)
        let out = workspace.folder.appendingPathComponent("yard-release.out"), err = workspace.folder.appendingPathComponent("yard-release.err")
        let yard = try ProcessRunner.launch("yard", ["release", "gateway", "2.0.0", "--json"], in: workspace.folder,
                                            environment: ["YARD_SERVER": first.server, "YARD_TOKEN": token], stdout: out, stderr: err)
        defer { if yard.isRunning { kill(yard.processIdentifier, SIGKILL) } }
        var started: ReleaseRecord?
        for _ in 0..<400 where started == nil {
            started = try await store.listReleases(ReleaseQuery(limit: 1)).first
            if started == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let accepted = try #require(started, "yard release did not start a release: \((try? String(contentsOf: err, encoding: .utf8)) ?? "")")

        // Follow the stream in the background, as `yard release --server` does.
        let seen = Box<[Int]>([])
        let reconnects = Box(0)
        let follower = Task {
            try await client.follow(release: accepted.id, reconnectWindow: .seconds(60), onEvent: { event in
                if case .journal(let entry) = event { seen.update { $0.append(entry.sequence) } }
            }, onReconnect: { _, _ in reconnects.update { $0 += 1 } })
        }

        // Kill the daemon once the bake has run a second.
        var killedIn: ReleaseMachine.Phase?
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let record = try await store.release(id: accepted.id)
            if let record, record.phase == .baking || record.isFinished {
                try await Task.sleep(for: .seconds(1))
                first.kill9()
                killedIn = record.phase
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(killedIn == .baking, "the release was in \(killedIn?.rawValue ?? "no phase") when yardd was killed")
        let atKill = try #require(try await store.release(id: accepted.id))
        #expect(!atKill.isFinished)

        try await Task.sleep(for: .milliseconds(500))
        let second = try await YarddExecutable.start(workspace, port: port)
        daemons.append(second)
        let final = try await follower.value
        #expect(final.outcome == "promoted", "\(final)\n\(second.logText)")
        #expect(reconnects.value >= 1)

        let journal = try await store.journal(release: accepted.id)
        #expect(seen.value == journal.map(\.sequence), "every entry once, in order, across the restart")
        #expect(journal.contains { $0.message.hasPrefix("resumed in phase baking") }, "\(journal.map(\.message))")
        let routing = try #require(try await store.routing(service: "gateway"))
        #expect(routing.live == ["zone-a": .green, "zone-b": .green])
        #expect(second.logText.contains("resumed release \(accepted.id)"))

        // The CLI that started it followed it across the restart and exits as a local run would.
        let deadline2 = ContinuousClock.now + .seconds(30)
        while yard.isRunning, ContinuousClock.now < deadline2 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!yard.isRunning)
        let progress = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(yard.terminationStatus == 0, "\(progress)")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any]
        #expect(summary?["outcome"] as? String == "promoted")
        #expect(summary?["id"] as? String == accepted.id)
        #expect(progress.contains("reconnecting with Last-Event-ID"), "\(progress)")
        #expect(progress.components(separatedBy: "resumed in phase baking").count == 2, "shown once: \(progress)")
        #expect(progress.components(separatedBy: "finished: promoted").count == 2, "shown once: \(progress)")
        #expect(await second.stop() == 0, "\(second.logText)")
    }
}

/// A value shared with a task that updates it.
final class Box<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func update(_ body: (inout Value) -> Void) { mutex.withLock { body(&$0) } }
    var value: Value { mutex.withLock { $0 } }
}
