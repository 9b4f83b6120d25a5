import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting

/// Several `yardd` executables on one real PostgreSQL: one leads, the others are standbys that serve reads and send
/// release starts to the leader. The leader killed with SIGKILL mid-bake: a standby takes over and finishes the
/// release. The leader frozen with SIGSTOP past its lease and resumed: a standby took over, and the frozen one
/// stops leading without writing again.
@Suite(.serialized) struct LeaderElectionProcessTests {
    @Test func aStandbyFinishesTheReleaseOfAKilledLeader() async throws {
        try await PostgresServer.run { server in
            try server.createDatabase("yardd_ha_kill")
            try await Self.withFleet(basePort: 28200, bake: "8s", state: server.url(database: "yardd_ha_kill")) { workspace, store, token, daemons in
                let ports = [28230, 28231, 28232]
                for port in ports { daemons.append(try await YarddExecutable.start(workspace, port: port, state: server.url(database: "yardd_ha_kill"))) }
                let leader = daemons[0]
                #expect(try Self.readiness(leader.port)["role"] == "leader", "\(leader.logText)")
                for standby in daemons.dropFirst() {
                    let ready = try Self.readiness(standby.port)
                    #expect(ready["role"] == "standby", "\(standby.logText)")
                    #expect(ready["leader"] == leader.server)
                }

                // Started through a standby first in the list: its not-leader answer names the leader, and the client goes there.
                let client = try YarddClient(server: ports.reversed().map { "http://127.0.0.1:\($0)" }.joined(separator: ","), token: token)
                let accepted = try await client.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.0"))
                #expect(client.server == leader.server)

                let seen = Box<[Int]>([])
                let follower = Task {
                    try await client.follow(release: accepted.id, reconnectWindow: .seconds(60), onEvent: { event in
                        if case .journal(let entry) = event { seen.update { $0.append(entry.sequence) } }
                    })
                }
                try await Self.waitForBake(accepted.id, store: store)
                try await Task.sleep(for: .seconds(1))
                let killedAt = ContinuousClock.now
                leader.kill9()
                let (newLeader, took) = try await Self.waitForLeader(among: Array(daemons.dropFirst()), since: killedAt)
                #expect(took < .seconds(10), "a standby leads within 10 s of the leader's death: \(took)")

                let final = try await follower.value
                #expect(final.outcome == "promoted", "\(final)\n\(newLeader.logText)")
                let journal = try await store.journal(release: accepted.id)
                #expect(seen.value == journal.map(\.sequence), "every entry once, in order, across the leader change")
                #expect(journal.filter { $0.message.hasPrefix("resumed in phase baking") }.count == 1, "\(journal.map(\.message))")
                #expect(newLeader.logText.contains("resumed release \(accepted.id)"), "\(newLeader.logText)")
                let other = daemons.dropFirst().first { $0.port != newLeader.port }!
                #expect(!other.logText.contains("resumed release"), "one daemon drives it: \(other.logText)")
                #expect(try await store.routing(service: "gateway")?.live == ["zone-a": .green, "zone-b": .green])
                #expect(try Self.readiness(other.port)["leader"] == newLeader.server)
                let metrics = try RawHTTP.request(port: newLeader.port, "GET", "/metrics").text
                #expect(MetricsTests.sample(metrics, "yardd_is_leader") == 1, "\(metrics)")
                #expect(MetricsTests.sample(metrics, #"yardd_leader_changes_total{change="elected"}"#) == 1, "\(metrics)")
                #expect(MetricsTests.sample(try RawHTTP.request(port: other.port, "GET", "/metrics").text, "yardd_is_leader") == 0)
            }
        }
    }

    @Test func aLeaderFrozenPastItsLeaseDoesNotActAgain() async throws {
        try await PostgresServer.run { server in
            try server.createDatabase("yardd_ha_stop")
            let state = server.url(database: "yardd_ha_stop")
            try await Self.withFleet(basePort: 28250, bake: "10s", state: state) { workspace, store, token, daemons in
                let lease = ["--lease", "3s"]
                daemons.append(try await YarddExecutable.start(workspace, port: 28280, state: state, arguments: lease))
                daemons.append(try await YarddExecutable.start(workspace, port: 28281, state: state, arguments: lease))
                let (leader, standby) = (daemons[0], daemons[1])
                #expect(try Self.readiness(standby.port)["leader"] == leader.server)
                // Refused by the standby itself, naming the leader.
                let direct = try RawHTTP.request(port: standby.port, "POST", "/v1/releases", headers: ["Authorization": "Bearer \(token)"],
                                                 body: Data(#"{"service":"gateway","version":"2.0.0"}"#.utf8))
                #expect(direct.status == 503, "\(direct.text)")
                let refusal = try JSONSerialization.jsonObject(with: Data(direct.text[direct.text.range(of: "\r\n\r\n")!.upperBound...].utf8))
                let error = (refusal as? [String: Any])?["error"] as? [String: Any]
                #expect(error?["code"] as? String == "not-leader", "\(direct.text)")
                #expect((error?["details"] as? [String: String])?["leader"] == leader.server, "\(direct.text)")

                let client = try YarddClient(server: leader.server, token: token)
                let accepted = try await client.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.0"))
                try await Self.waitForBake(accepted.id, store: store)
                let frozenAt = ContinuousClock.now
                kill(leader.pid, SIGSTOP)
                defer { kill(leader.pid, SIGCONT) }
                let (_, took) = try await Self.waitForLeader(among: [standby], since: frozenAt)
                // Its last renewal came at most a third of the lease before the freeze.
                #expect(took >= .seconds(2), "the lease is waited out for a process that may be alive: \(took)")
                #expect(took < .seconds(6), "lease + a third: \(took)")
                // The standby drives the release now (it waited out the frozen runner's driving lease).
                let deadline = ContinuousClock.now + .seconds(20)
                while !standby.logText.contains("resumed release \(accepted.id)"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(standby.logText.contains("resumed release \(accepted.id)"), "\(standby.logText)")
                let before = try await store.journal(release: accepted.id).count
                kill(leader.pid, SIGCONT)
                // Thawed, the old leader learns at its next look that it was deposed, and stops what it drove.
                let thawDeadline = ContinuousClock.now + .seconds(10)
                while !leader.logText.contains("stopped leading"), ContinuousClock.now < thawDeadline { try await Task.sleep(for: .milliseconds(100)) }
                #expect(leader.logText.contains("stopped leading (generation 1)"), "\(leader.logText)")
                let named = ContinuousClock.now + .seconds(5)
                while try Self.readiness(leader.port)["leader"] != standby.server, ContinuousClock.now < named { try await Task.sleep(for: .milliseconds(100)) }
                #expect(try Self.readiness(leader.port)["role"] == "standby")
                #expect(try Self.readiness(leader.port)["leader"] == standby.server)

                let final = try await YarddClient(server: standby.server, token: token).follow(release: accepted.id, onEvent: { _ in })
                #expect(final.outcome == "promoted", "\(final)\n\(standby.logText)")
                let journal = try await store.journal(release: accepted.id)
                #expect(journal.count > before)
                #expect(journal.filter { $0.message.hasPrefix("resumed in phase") }.count == 1, "\(journal.map(\.message))")
                #expect(!leader.logText.contains("release of gateway promoted"), "the frozen leader did not finish it too: \(leader.logText)")
                let lock = try #require(try await store.lock(name: "yardd:leader"))
                #expect(lock.generation == 2)
                #expect(lock.holder.contains("127.0.0.1:\(standby.port)"))
            }
        }
    }

    // MARK: helpers

    /// A fleet live in blue with its state in PostgreSQL, an operator token, and the daemons the body starts; each
    /// daemon and the fleet are stopped afterwards, also when the body throws.
    static func withFleet(basePort: Int, bake: String, state: String,
                          _ body: (FleetWorkspace, any StateStore, String, inout [YarddExecutable]) async throws -> Void) async throws {
        let workspace = try FleetWorkspace(basePort: basePort, bake: bake)
        var daemons: [YarddExecutable] = []
        do {
            let store = try await StateLocation.open(state)
            try await workspace.up(store: store)
            let (_, token) = try await TokenAdmin.create(name: "ci", role: .operator, in: store, actor: "test")
            try await body(workspace, store, token, &daemons)
        } catch {
            for daemon in daemons { kill(daemon.pid, SIGCONT); await daemon.stop(grace: .seconds(5)) }
            await workspace.tearDown()
            throw error
        }
        for daemon in daemons { kill(daemon.pid, SIGCONT); await daemon.stop(grace: .seconds(5)) }
        await workspace.tearDown()
    }

    static func readiness(_ port: Int) throws -> [String: String] {
        let answer = try RawHTTP.request(port: port, "GET", "/readyz")
        guard let start = answer.text.range(of: "\r\n\r\n")?.upperBound,
              let object = try JSONSerialization.jsonObject(with: Data(answer.text[start...].utf8)) as? [String: String] else { return [:] }
        return object
    }

    static func waitForBake(_ id: String, store: any StateStore) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let record = try await store.release(id: id), record.phase == .baking { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("release \(id) did not reach its bake")
    }

    /// The first of `daemons` whose /readyz says it leads, and how long after `since` it said so.
    static func waitForLeader(among daemons: [YarddExecutable], since: ContinuousClock.Instant) async throws -> (YarddExecutable, Duration) {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            for daemon in daemons where (try? readiness(daemon.port)["role"]) == "leader" { return (daemon, ContinuousClock.now - since) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("no standby took over in 30 s:\n" + daemons.map(\.logText).joined(separator: "\n---\n"))
    }
}
