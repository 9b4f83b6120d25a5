import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// `db-primary-loss` on a real PostgreSQL primary and streaming replica (pg_basebackup -R, data directories and loopback
/// ports of the test's own), beside a real fleet carrying the drill's HTTP traffic: the primary SIGKILLed, the replica
/// promoted, numbered writes through the multi-host connection string, and the old primary rewound into a replica.
@Suite("A database primary lost in a drill", .serialized)
struct DatabasePrimaryLossDrillTests {
    /// A primary and a replica, stopped and removed afterwards whatever happens.
    static func withPair<T>(primary: PostgresServer.Settings, replica: PostgresServer.Settings,
                            _ body: (PostgresServer, PostgresServer) async throws -> T) async throws -> T {
        let first = try PostgresServer.start(settings: primary)
        defer { first.stop() }
        let second = try first.startReplica(settings: replica)
        defer { second.stop() }
        return try await body(first, second)
    }

    static func member(_ name: String, _ zone: String, _ role: Datastore.Role, _ server: PostgresServer,
                       promote: DatastoreMember.Promotion = .pgCtl) -> DatastoreMember {
        DatastoreMember(name: name, zone: zone, role: role, address: server.address, dataDirectory: server.dataDirectory,
                        promote: promote, serverOptions: server.serverOptions, binDirectory: server.binDirectory)
    }

    static func datastore(_ primary: PostgresServer, _ replica: PostgresServer, promote: DatastoreMember.Promotion = .pgCtl) -> Datastore {
        let members = [member("pg-a", "zone-a", .primary, primary), member("pg-b", "zone-b", .replica, replica, promote: promote)]
        let clients = ClientConnectionString(user: "postgres", hosts: members.map(\.address), database: "postgres", targetSessionAttrs: .readWrite,
                                             connectTimeout: 1)
        return Datastore(name: "orders", kind: .postgres, placement: Datastore.placement(of: members), members: members, clients: clients)
    }

    /// Runs a `db-primary-loss` of `store` to its end; its restore must be done and say `restored`.
    static func drill(_ harness: ReleaseHarness, _ store: Datastore, writesPerSecond: Int, rto: TimeSpan = .seconds(1),
                      maxLostWrites: Int? = 0, mode: PrimaryLossMode = .kill,
                      restored: String = "replica of pg-b again (pg_rewind)") async throws -> (DrillReport, DrillContext, RestoreExecutor) {
        var topology = harness.topology
        topology.datastores = [store]
        let playbook = DrillPlaybook(name: "drill-db", topology: topology.name, schedule: nil,
                                     steadyState: [SteadyStateProbe(name: "ready", path: "/readyz", requests: 5)],
                                     load: LoadProfile(requestsPerSecond: 20, streams: 0),
                                     fault: .dbPrimaryLoss(datastore: store.name, writesPerSecond: writesPerSecond, mode: mode), duration: .seconds(3),
                                     guardrails: Guardrails(),
                                     objectives: Objectives(rto: rto, minSuccessRate: Ratio(0.99), maxLostWrites: maxLostWrites))
        let context = try DrillContext.processes(playbook: playbook, topology: topology, store: harness.store, workingDirectory: harness.folder.path,
                                                 logDirectory: harness.folder.appendingPathComponent("logs").path, actor: "test",
                                                 settleLimit: .seconds(5))
        let executor = RestoreExecutor(topologies: [topology], store: harness.store, instances: context.instances, workingDirectory: harness.folder.path)
        let runner = DrillRunner(context: context, executor: executor)
        try await runner.claim()
        let report = await runner.run()
        print((report.writes?.lines ?? []).joined(separator: "\n"))
        let restore = report.steps.last { $0.step == "restore" }
        print("restore: \(restore?.detail ?? "none")")
        #expect(restore?.status == "done" && restore?.detail?.contains(restored) == true, "\(restore?.detail ?? "no restore")")
        return (report, context, executor)
    }

    /// The old primary answers as a replica and streams from the new one.
    static func expectRejoined(_ store: Datastore, oldPrimary: PostgresServer, newPrimary: PostgresServer) async throws {
        let clients = try #require(store.clients)
        let old = oldPrimary.address, new = newPrimary.address
        #expect(await PostgresSession.role(of: old, as: clients) == .replica)
        #expect(await PostgresSession.role(of: new, as: clients) == .primary)
        let connection = try await PostgresSession.connect(old, as: clients, timeout: .seconds(2))
        defer { PostgresSession.close(connection) }
        let sender = try await PostgresSession.value("SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'",
                                                     on: connection, as: String.self, timeout: .seconds(2))
        let log = (try? String(contentsOfFile: "\(oldPrimary.dataDirectory)/switchyard-start.log", encoding: .utf8)).map { String($0.suffix(1500)) } ?? "no log"
        let receiver = try await PostgresSession.value("SELECT coalesce(status, '?') || ' ' || coalesce(sender_host, '?') || ':' || coalesce(sender_port::text, '?') FROM pg_stat_wal_receiver",
                                                       on: connection, as: String.self, timeout: .seconds(2))
        #expect(sender == "\(new)", "wal receiver: \(receiver ?? "none"); log: \(log)")
    }

    /// The write seconds in the report as stored (its JSON) and in its HTML: acknowledgements in the warm-up before the
    /// kill, failures and no acknowledgement in the `noAcknowledgementBefore` seconds after it, then every write
    /// acknowledged again, and the counts adding up to the probe's totals.
    static func expectWriteSeconds(_ report: DrillReport, harness: ReleaseHarness, noAcknowledgementBefore quiet: Int) async throws {
        let record = try #require(try await harness.store.drillRun(id: report.id))
        let stored = try #require(try record.report?.decode(DrillReport.self).writes)
        let seconds = stored.seconds
        print("write seconds: " + seconds.map { "\($0.second): \($0.acknowledged)/\($0.failed)" }.joined(separator: ", "))
        #expect(seconds == report.writes?.seconds)
        #expect(seconds.map(\.sent).reduce(0, +) == stored.attempts)
        #expect(seconds.map(\.acknowledged).reduce(0, +) == stored.acknowledged && seconds.map(\.failed).reduce(0, +) == stored.errors)
        #expect(seconds.first { $0.second == -1 }.map { $0.acknowledged > 0 && $0.failed == 0 } == true, "\(seconds)")
        // Second 0 may hold the acknowledgement of the one write in flight at the kill (the probe writes one at a time).
        let failover = seconds.filter { (0..<quiet).contains($0.second) }
        #expect(failover.count == quiet && failover.allSatisfy { $0.acknowledged <= ($0.second == 0 ? 1 : 0) }, "\(seconds)")
        #expect(failover.map(\.failed).reduce(0, +) > 0, "\(seconds)")
        // The last whole second of the probe: the new primary acknowledged every write that finished in it.
        let settled = try #require(seconds.dropLast().last, "\(seconds)")
        #expect(settled.second >= quiet && settled.acknowledged > 0 && settled.failed == 0, "\(seconds)")
        let html = report.html()
        #expect(html.contains("<g class=\"writes\">") && html.contains("class=\"write-failed\"") && html.contains("<table class=\"write-seconds\" style=\"clear:both\">"))
        #expect(html.contains("<dt>lost writes</dt><dd>\(stored.lost ?? -1) acknowledged before the loss and absent on the new primary"))
    }

    @Test func withASynchronousStandbyNoAcknowledgedWriteIsLostAndWritersRecoverWithinASecond() async throws {
        try await ReleaseHarness.with(basePort: 28500) { harness in
            try await Self.withPair(primary: .replication(synchronousCommit: true, synchronousStandby: true),
                                    replica: .replication(synchronousCommit: true)) { primary, replica in
                let store = Self.datastore(primary, replica)
                let (report, _, _) = try await Self.drill(harness, store, writesPerSecond: 50)
                let writes = try #require(report.writes, "\(report.text)")
                print("sync on: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s, lost \(writes.lost ?? -1), gap \(writes.longestGap)")
                #expect(report.outcome == .passed, "\(report.text)")
                #expect(writes.lost == 0)
                #expect((writes.firstWriteOnNewPrimary ?? 99) < 1)
                #expect(writes.acknowledged > 100)
                #expect(report.verdicts.contains { $0.objective == "lost writes" && $0.passed })
                #expect(report.text.contains("0 acknowledged writes lost"))
                #expect(writes.seconds.map(\.acknowledged).reduce(0, +) == writes.acknowledged)
                #expect(writes.seconds.first { $0.second == -1 }.map { $0.acknowledged > 0 } == true, "\(writes.seconds)")
                let journaled = try #require(report.steps.first { $0.step == "journal-restores" })
                let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" })
                #expect(journaled.at <= injected.at)
                #expect(try await harness.store.pendingRestoreActions(run: report.id).isEmpty)
                try await Self.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }

    @Test func withoutSynchronousCommitABurstLosesAcknowledgedWritesAndFailsTheObjective() async throws {
        try await ReleaseHarness.with(basePort: 28520) { harness in
            try await Self.withPair(primary: .replication(synchronousCommit: false), replica: .replication(synchronousCommit: false)) { primary, replica in
                let store = Self.datastore(primary, replica)
                let (report, _, _) = try await Self.drill(harness, store, writesPerSecond: 400)
                let writes = try #require(report.writes, "\(report.text)")
                print("sync off: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s, lost \(writes.lost ?? -1), gap \(writes.longestGap)")
                let lost = try #require(writes.lost, "\(report.text)")
                // The invariant, whatever the count: each write reported lost is really absent on the new primary.
                let clients = try #require(store.clients)
                let connection = try await PostgresSession.connect(HostPort(host: "127.0.0.1", port: replica.port), as: clients, timeout: .seconds(2))
                defer { PostgresSession.close(connection) }
                let found = try await PostgresSession.value("SELECT count(*)::bigint FROM switchyard_write_probe WHERE run = \(report.id) AND sequence = ANY(\(writes.lostWrites))",
                                                            on: connection, as: Int.self, timeout: .seconds(5))
                #expect(found == 0)
                // With commits acknowledged before their WAL is flushed, the last ones before the kill never reach the replica.
                #expect(lost > 0, "no acknowledged write was lost in this run: \(report.text)")
                #expect(report.outcome == .failed, "\(report.text)")
                #expect(report.verdicts.first { $0.objective == "lost writes" }?.passed == false)
                #expect(report.verdicts.first { $0.objective == "lost writes" }?.measured.hasPrefix("\(lost) acknowledged") == true)
                try await Self.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }

    @Test func aPromotionSlowerThanTheObjectiveFailsTheRTOWithTheMeasuredFigure() async throws {
        try await ReleaseHarness.with(basePort: 28540) { harness in
            try await Self.withPair(primary: .replication(synchronousCommit: true), replica: .replication(synchronousCommit: true)) { primary, replica in
                let pgCtl = "\(replica.binDirectory)/pg_ctl -D \(replica.dataDirectory) -w promote"
                let slow = DatastoreMember.Promotion.command(["/bin/sh", "-c", "sleep 2; " + (getuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : "") + pgCtl])
                let store = Self.datastore(primary, replica, promote: slow)
                let (report, _, _) = try await Self.drill(harness, store, writesPerSecond: 50, rto: .seconds(1), maxLostWrites: nil)
                let writes = try #require(report.writes, "\(report.text)")
                print("slow promotion: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s")
                #expect(report.outcome == .failed, "\(report.text)")
                let first = try #require(writes.firstWriteOnNewPrimary)
                #expect(first >= 2)
                #expect((writes.promotedAfter ?? 0) >= 2)
                let verdict = try #require(report.verdicts.first { $0.objective == "writers' rto" })
                #expect(!verdict.passed)
                #expect(verdict.measured == DrillFormat.milliseconds(first * 1000) + " to the first write on the new primary")
                #expect(writes.longestGap >= 2)
                try await Self.expectWriteSeconds(report, harness: harness, noAcknowledgementBefore: 2)
                try await Self.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }

    /// Neither data checksums nor wal_log_hints: pg_rewind refuses the old primary, so the restore moves its data aside
    /// and copies the new primary afresh (pg_basebackup -R), says so in the journal, and the old primary streams again.
    @Test func whenPgRewindCannotWorkTheRestoreFallsBackToAFreshBaseBackup() async throws {
        var settings = PostgresServer.Settings.replication(synchronousCommit: true)
        settings.dataChecksums = false
        settings.extra = settings.extra.map { $0.0 == "wal_log_hints" ? ("wal_log_hints", "off") : $0 }
        try await ReleaseHarness.with(basePort: 28640) { harness in
            try await Self.withPair(primary: settings, replica: settings) { primary, replica in
                let store = Self.datastore(primary, replica)
                let (report, _, _) = try await Self.drill(harness, store, writesPerSecond: 50, rto: .seconds(5), maxLostWrites: nil,
                                                          restored: "replica of pg-b again (pg_basebackup, pg_rewind having failed")
                let restore = try #require(report.steps.last { $0.step == "restore" && $0.status == "done" }?.detail)
                print("restore: \(restore)")
                // pg_rewind's own reason, and where the old data went.
                #expect(restore.contains("pg_rewind having failed: pg_rewind: error: target server needs to use either data checksums or \"wal_log_hints = on\"; "),
                        "\(restore)")
                #expect(restore.contains("the old data is in \(primary.dataDirectory).before-rejoin"), "\(restore)")
                #expect(FileManager.default.fileExists(atPath: "\(primary.dataDirectory).before-rejoin/PG_VERSION"))
                #expect(try await harness.store.pendingRestoreActions(run: report.id).isEmpty)
                try await Self.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
            }
        }
    }

    /// The run's process dies with the primary killed and the replica promoted: the journaled restore runs at the next
    /// start (DrillRecovery), and running it once more changes nothing.
    @Test func aRestoreLeftPendingByACrashRejoinsTheOldPrimaryAndIsIdempotent() async throws {
        try await ReleaseHarness.with(basePort: 28560) { harness in
            try await Self.withPair(primary: .replication(synchronousCommit: true), replica: .replication(synchronousCommit: true)) { primary, replica in
                let store = Self.datastore(primary, replica)
                var topology = harness.topology
                topology.datastores = [store]
                let playbook = DrillPlaybook(name: "drill-db-crash", topology: topology.name, schedule: nil, steadyState: [],
                                             load: LoadProfile(requestsPerSecond: 1, streams: 0), fault: .dbPrimaryLoss(datastore: "orders", writesPerSecond: 10, mode: .kill),
                                             duration: .seconds(1), guardrails: Guardrails(), objectives: Objectives(rto: .seconds(1), minSuccessRate: Ratio(0.9)))
                let context = try DrillContext(playbook: playbook, topology: topology, store: harness.store, instances: FleetInstanceDriver.standard(logDirectory: harness.folder.path),
                                               workingDirectory: harness.folder.path, actor: "test")
                let plan = try await FaultPlan.make(context, run: "drill-db-crash-1")
                _ = try await harness.store.createDrillRun(id: "drill-db-crash-1", playbook: playbook.name, status: "injecting", now: Date())
                for restore in plan.restores {
                    _ = try await harness.store.appendRestoreAction(run: "drill-db-crash-1", action: try JSONText(encoding: restore), now: Date())
                }
                let injection = try await FaultInjector.inject(plan, instances: context.instances)
                #expect(injection.failover != nil)
                // The process that injected it is gone; the next start finds the run unfinished.
                let executor = RestoreExecutor(topologies: [topology], store: harness.store, instances: context.instances, workingDirectory: harness.folder.path)
                let recovered = try await DrillRecovery.recover(store: harness.store, executor: executor)
                print("recovered: \(recovered)")
                #expect(recovered.map(\.run) == ["drill-db-crash-1"])
                #expect(recovered.first?.failures == [])
                #expect(recovered.first?.restored.first?.contains("replica of pg-b again (pg_rewind)") == true, "\(recovered)")
                try await Self.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
                let again = try await executor.perform(plan.restores[0])
                #expect(again.contains("nothing to do"), "\(again)")
            }
        }
    }
}
