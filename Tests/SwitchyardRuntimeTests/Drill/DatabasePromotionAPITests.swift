import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// `db-primary-loss` of a datastore whose replica is promoted through a failover manager's REST API (`promote.http`):
/// the manager is `Fixtures/failover_api.py`, a stdlib server answering as Patroni's `POST /failover` does (basic auth,
/// a JSON body naming the candidate, 412 for a candidate it does not know), which runs `pg_ctl promote` on the replica.
@Suite("A replica promoted through a failover manager's API", .serialized)
struct DatabasePromotionAPITests {
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/failover_api.py").path
    }

    /// The API started for `replica` (candidate `pg-b`, basic auth `switchyard:drill`), stopped when `body` ends
    /// whatever happens; its URL and where its log goes.
    static func withAPI<T>(replica: PostgresServer, _ body: (String, URL) async throws -> T) async throws -> T {
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("switchyard-api-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let portFile = folder.appendingPathComponent("port"), log = folder.appendingPathComponent("api.log")
        let promote = (getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + ["\(replica.binDirectory)/pg_ctl", "-D", replica.dataDirectory, "-w", "promote"]
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let api = Process()
        api.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        api.arguments = [script, "--port-file", portFile.path, "--candidate", "pg-b", "--auth", "switchyard:drill", "--"] + promote
        api.standardError = try FileHandle(forWritingTo: log)
        try api.run()
        defer { if api.isRunning { kill(api.processIdentifier, SIGKILL); api.waitUntilExit() } }
        let start = ContinuousClock.now
        while !FileManager.default.fileExists(atPath: portFile.path) {
            guard api.isRunning, ContinuousClock.now - start < .seconds(10) else { throw TestFailure("failover_api.py did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let port = try String(contentsOf: portFile, encoding: .utf8)
        return try await body("http://127.0.0.1:\(port)/failover", log)
    }

    static func promotion(_ url: String, candidate: String = "pg-b") -> DatastoreMember.Promotion {
        .http(HTTPPromotion(url: url, body: #"{"leader": "pg-a", "candidate": "\#(candidate)"}"#,
                            headers: ["Authorization": "Basic " + Data("switchyard:drill".utf8).base64EncodedString()]))
    }

    @Test func theManagerPromotesTheReplicaAndTheDrillMeasuresIt() async throws {
        try await ReleaseHarness.with(basePort: 28840) { harness in
            try await DatabasePrimaryLossDrillTests.withPair(primary: .replication(synchronousCommit: true, synchronousStandby: true),
                                                             replica: .replication(synchronousCommit: true)) { primary, replica in
                try await Self.withAPI(replica: replica) { url, log in
                    let store = DatabasePrimaryLossDrillTests.datastore(primary, replica, promote: Self.promotion(url))
                    let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 50)
                    let writes = try #require(report.writes, "\(report.text)")
                    print("through the API: promoted \(writes.promotedAfter ?? -1) s, first write \(writes.firstWriteOnNewPrimary ?? -1) s")
                    #expect(report.outcome == .passed, "\(report.text)")
                    #expect(writes.lost == 0)
                    let injected = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" }?.detail)
                    #expect(injected.contains("pg-b promoted (POST \(url))"), "\(injected)")
                    // What the manager received: the method, the JSON body and its content type.
                    let received = try String(contentsOf: log, encoding: .utf8)
                    #expect(received.contains(#"POST /failover application/json {"leader": "pg-a", "candidate": "pg-b"}"#), "\(received)")
                    try await DatabasePrimaryLossDrillTests.expectRejoined(store, oldPrimary: primary, newPrimary: replica)
                }
            }
        }
    }

    /// The manager refuses (412, a candidate it does not know): the drill says what it answered and fails; the restore
    /// starts the killed primary again, since no other member became primary.
    @Test func aRefusalIsReportedWithTheManagersAnswerAndThePrimaryComesBack() async throws {
        try await ReleaseHarness.with(basePort: 28860) { harness in
            try await DatabasePrimaryLossDrillTests.withPair(primary: .replication(synchronousCommit: true),
                                                             replica: .replication(synchronousCommit: true)) { primary, replica in
                try await Self.withAPI(replica: replica) { url, _ in
                    let store = DatabasePrimaryLossDrillTests.datastore(primary, replica, promote: Self.promotion(url, candidate: "pg-z"))
                    let (report, _, _) = try await DatabasePrimaryLossDrillTests.drill(harness, store, writesPerSecond: 20, maxLostWrites: nil,
                                                                                       restored: "pg-a started again as it was")
                    #expect(report.outcome != .passed, "\(report.text)")
                    let inject = try #require(report.steps.last { $0.step == "inject" }?.detail, "\(report.text)")
                    #expect(inject.contains("promoting pg-b failed: POST \(url) answered 412: candidate name does not match with the sync standby: pg-z"), "\(inject)")
                    let clients = try #require(store.clients)
                    #expect(await PostgresSession.role(of: primary.address, as: clients) == .primary)
                    #expect(await PostgresSession.role(of: replica.address, as: clients) == .replica)
                }
            }
        }
    }
}
