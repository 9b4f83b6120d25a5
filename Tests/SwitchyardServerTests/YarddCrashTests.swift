import Foundation
import Synchronization
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// The `yardd` executable killed with SIGKILL in the middle of a bake and started again on the same state file:
/// it resumes the release to its outcome, and a client following the event stream reconnects with
/// `Last-Event-ID` and sees every journal entry once.
@Suite(.serialized) struct YarddCrashTests {
    @Test func yarddKilledMidBakeResumesTheReleaseOnRestart() async throws {
        let workspace = try FleetWorkspace(basePort: 23320, bake: "8s")
        var daemons: [YarddProcess] = []
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

    func killAndResume(_ workspace: FleetWorkspace, daemons: inout [YarddProcess]) async throws {
        let store = try workspace.store()
        try await workspace.up(store: store)
        let (_, token) = try await TokenAdmin.create(name: "ci", role: .operator, in: store)
        let port = workspace.basePort + 2
        let first = try await YarddProcess.start(workspace, port: port)
        daemons.append(first)
        let client = try YarddClient(server: first.server, token: token)
        let accepted = try await client.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.0"))

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
        let second = try await YarddProcess.start(workspace, port: port)
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
