import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting

/// The PostgreSQL server crashes mid-release (stopped at once, down for longer than the leadership lease, started
/// again): the leader stops leading on time although its renewals get no answer, and once the server is back one
/// daemon leads and drives the release to one end: promoted or rolled back, never both, journaled once.
@Suite(.serialized) struct StoreOutageProcessTests {
    @Test func aReleaseOutlivesACrashOfTheStateServer() async throws {
        try await PostgresServer.run { server in
            try server.createDatabase("yardd_ha_outage")
            let state = server.url(database: "yardd_ha_outage")
            try await LeaderElectionProcessTests.withFleet(basePort: 28300, bake: "8s", state: state) { workspace, store, token, daemons in
                let arguments = ["--lease", "3s"]
                daemons.append(try await YarddExecutable.start(workspace, port: 28330, state: state, arguments: arguments))
                daemons.append(try await YarddExecutable.start(workspace, port: 28331, state: state, arguments: arguments))
                let leader = daemons[0]
                #expect(try LeaderElectionProcessTests.readiness(leader.port)["role"] == "leader", "\(leader.logText)")
                let client = try YarddClient(server: daemons.map(\.server).joined(separator: ","), token: token)
                let accepted = try await client.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.0"))
                try await LeaderElectionProcessTests.waitForBake(accepted.id, store: store)

                let crashedAt = ContinuousClock.now
                try server.crash(downFor: .seconds(5))
                // With a 3 s lease a leader acts for at most 2 s without a renewal: it has stepped down within the outage.
                #expect(leader.logText.contains("stopped leading (generation 1): it could not renew its lease"), "\(leader.logText)")

                let (newLeader, _) = try await LeaderElectionProcessTests.waitForLeader(among: daemons, since: crashedAt)
                let record = try await Self.waitForEnd(accepted.id, store: store)
                let journal = try await store.journal(release: accepted.id)
                let messages = journal.map(\.message)
                #expect(messages.filter { $0.hasPrefix("finished: ") }.count == 1, "one end, journaled once: \(messages)")
                #expect(messages.filter { $0.hasPrefix("resumed in phase") }.count >= 1, "\(messages)")
                #expect(Set(journal.map(\.sequence)).count == journal.count, "no entry written twice")
                let routing = try #require(try await store.routing(service: "gateway"))
                let expected: Slot = record.outcome == .promoted ? .green : .blue
                #expect(routing.live == ["zone-a": expected, "zone-b": expected], "routing matches the outcome \(String(describing: record.outcome)): \(routing.live)")
                #expect(record.outcome == .promoted || record.outcome == .rolledBack, "\(record)")
                let lock = try #require(try await store.lock(name: "yardd:leader"))
                #expect(lock.generation >= 2, "leadership was taken again after the outage: \(lock)")
                #expect(lock.holder.contains("127.0.0.1:\(newLeader.port)"))
                let drivers = daemons.filter { $0.logText.contains("resumed release \(accepted.id)") }
                #expect(!drivers.isEmpty, "\(daemons.map(\.logText).joined(separator: "\n---\n"))")
            }
        }
    }

    /// The release's record once it has an outcome.
    static func waitForEnd(_ id: String, store: any StateStore) async throws -> ReleaseRecord {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let record = try? await store.release(id: id), record.outcome != nil { return record }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("release \(id) did not end within 90 s of the outage")
    }
}
