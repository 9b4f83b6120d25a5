import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// `db-primary-loss` of a datastore whose failover manager promotes: the drill kills the primary, promotes nothing, and
/// waits for a member to answer as primary. The manager here is a real process the test starts (a shell loop that
/// waits for the primary to stop answering, then runs `pg_ctl promote` on the replica a second later), as Patroni or
/// repmgr would act on their own.
@Suite("A drill waiting for a failover manager", .serialized)
struct DatabaseFailoverManagerTests {
    static let managerDelay = 1.0

    /// The failover manager: started now, stopped when `body` ends whatever happens; its exit status and output.
    static func withManager<T>(primary: PostgresServer, replica: PostgresServer, _ body: (Process) async throws -> T) async throws -> T {
        let runAs = getuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : ""
        let script = """
        until ! \(replica.binDirectory)/pg_isready -q -h 127.0.0.1 -p \(primary.port) -t 1; do sleep 0.05; done
        echo "primary 127.0.0.1:\(primary.port) stopped answering; promoting in \(managerDelay) s"
        sleep \(managerDelay)
        exec \(runAs)\(replica.binDirectory)/pg_ctl -D \(replica.dataDirectory) -w promote
        """
        let manager = Process()
        manager.executableURL = URL(fileURLWithPath: "/bin/sh")
        manager.arguments = ["-c", script]
        let output = Pipe()
        manager.standardOutput = output
        manager.standardError = output
        try manager.run()
        defer { if manager.isRunning { kill(manager.processIdentifier, SIGKILL) } }
        return try await body(manager)
    }

    /// Until `process` exits (at most `within`): its status, nil when it still runs.
    static func exitStatus(_ process: Process, within: Duration) async -> Int32? {
        let start = ContinuousClock.now
        while process.isRunning, ContinuousClock.now - start < within { try? await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    static func managed(_ primary: PostgresServer, _ replica: PostgresServer, timeout: TimeSpan) -> Datastore {
        var store = DatabasePrimaryLossDrillTests.datastore(primary, replica)
        store.failover = .manager(timeout: timeout)
        return store
    }

    @Test func theDrillPromotesNothingAndMeasuresTheManagersPromotion() async throws {
        try await ReleaseHarness.with(basePort: 28600) { harness in
            try await DatabasePrimaryLossDrillTests.withPair(primary: .replication(synchronousCommit: true),
                                                             replica: .replication(synchronousCommit: true)) { primary, replica in
                try await Self.withManager(primary: primary, replica: replica) { manager in
                    let store = Self.managed(primary, replica, timeout: .seconds(10))
                    let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 50, rto: .seconds(5), maxLostWrites: nil)
                    let status = await Self.exitStatus(manager, within: .seconds(30))
                    #expect(status == 0, "the failover manager did not promote: \(status.map(String.init) ?? "still running")")
                    let writes = try #require(report.writes, "\(report.text)")
                    print("manager: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s")
                    #expect(report.outcome == .passed, "\(report.text)")
                    #expect(writes.awaitedManager == 10)
                    #expect(writes.newPrimary == "127.0.0.1:\(replica.port)")
                    // The manager's delay, not the drill's own pg_ctl (about 0.1 s), is what was measured.
                    let promoted = try #require(writes.promotedAfter)
                    #expect(promoted >= Self.managerDelay && promoted < 10, "\(promoted)")
                    #expect((writes.firstWriteOnNewPrimary ?? 0) >= Self.managerDelay)
                    let verdict = try #require(report.verdicts.first { $0.objective == "failover manager" })
                    #expect(verdict.passed && verdict.measured == "127.0.0.1:\(replica.port) primary after \(DrillFormat.milliseconds(promoted * 1000))", "\(verdict)")
                    let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" })
                    #expect(injected.detail?.contains("the drill promoted nothing: pg-b answered as primary") == true, "\(injected.detail ?? "")")
                    #expect(report.text.contains("promoted by the failover manager"))
                    #expect(report.faultDescription.contains("; the drill promotes nothing and waits up to 10s for the failover manager to promote a member;"),
                            "\(report.faultDescription)")
                    try await DatabasePrimaryLossDrillTests.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
                }
            }
        }
    }

    @Test func noPromotionWithinTheWaitFailsTheDrillWithTheFigureAndTheRestoreStillRuns() async throws {
        try await ReleaseHarness.with(basePort: 28620) { harness in
            try await DatabasePrimaryLossDrillTests.withPair(primary: .replication(synchronousCommit: true),
                                                             replica: .replication(synchronousCommit: true)) { primary, replica in
                // No manager runs: nothing promotes the replica.
                let store = Self.managed(primary, replica, timeout: .seconds(2))
                let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 50, rto: .seconds(5), maxLostWrites: nil,
                                                                                    restored: "pg-a started again as it was")
                let writes = try #require(report.writes, "\(report.text)")
                #expect(report.outcome == .failed, "\(report.text)")
                #expect(writes.promotedAfter == nil && writes.firstWriteOnNewPrimary == nil)
                let verdict = try #require(report.verdicts.first { $0.objective == "failover manager" })
                #expect(!verdict.passed && verdict.measured == "no member primary in the 2 s waited", "\(verdict)")
                #expect(report.verdicts.first { $0.objective == "writers' rto" }?.passed == false)
                let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" })
                #expect(injected.detail?.contains("no other member answered as primary within 2s of the loss") == true, "\(injected.detail ?? "")")
                // Nothing was acknowledged from the kill to the restore (but the one write in flight at the kill).
                #expect(writes.seconds.filter { $0.second >= 0 }.allSatisfy { $0.acknowledged <= ($0.second == 0 ? 1 : 0) }, "\(writes.seconds)")
                // The old primary is the primary again and the replica follows it.
                let clients = try #require(store.clients)
                let old = HostPort(host: "127.0.0.1", port: primary.port), other = HostPort(host: "127.0.0.1", port: replica.port)
                #expect(await PostgresSession.role(of: old, as: clients) == .primary)
                #expect(await PostgresSession.role(of: other, as: clients) == .replica)
                var sender: String?
                let start = ContinuousClock.now
                while sender != "\(old)", ContinuousClock.now - start < .seconds(20) {
                    if let connection = try? await PostgresSession.connect(other, as: clients, timeout: .seconds(2)) {
                        sender = try? await PostgresSession.value("SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'",
                                                                  on: connection, as: String.self, timeout: .seconds(2))
                        PostgresSession.close(connection)
                    }
                    if sender != "\(old)" { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(sender == "\(old)", "the replica does not stream from the restarted primary")
            }
        }
    }
}
