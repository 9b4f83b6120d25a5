import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `yard drill run` of a `db-primary-loss` SIGKILLed with the primary lost and the replica promoted: the next
/// `yard drill run` first makes the old primary a replica of the new one, then drills again, now losing the member
/// promoted the first time (the roles are asked, not read from the topology).
@Suite("A database drill killed midway", .serialized)
struct DatabaseDrillCrashTests {
    static let basePort = 28580

    static func workspace(_ store: Datastore) throws -> URL {
        let members = store.members.map { member in
            """
                  - name: \(member.name)
                    zone: \(member.zone)
                    role: \(member.role.rawValue)
                    address: \(member.address)
                    dataDirectory: \(member.dataDirectory)
                    serverOptions: "\(member.serverOptions ?? "")"
                    binDirectory: \(member.binDirectory ?? "")
            """
        }.joined(separator: "\n")
        return try DrillCrashTests.workspace(prefix: "db-drill-crash", topology: "dbcrash", FleetManifests.topology(name: "dbcrash", basePort: basePort, drainTimeout: "5s") + """

            datastores:
              - name: orders
                kind: postgres
                clients: \(store.clients!)
                members:
            \(members)
            """, drill: """
            apiVersion: switchyard/v1
            kind: DrillPlaybook
            name: drill-dbcrash
            topology: dbcrash
            load: {requestsPerSecond: 10}
            fault: {kind: db-primary-loss, datastore: orders, writesPerSecond: 20}
            duration: 2m
            objectives: {rto: 5s, minSuccessRate: 99%, maxLostWrites: 0}
            """)
    }

    @Test func theNextStartRejoinsTheOldPrimaryThenDrillsTheNewOne() async throws {
        // No synchronous standby: the second drill promotes the first primary, which would carry synchronous_standby_names
        // with it and block every write with no standby left.
        try await DatabasePrimaryLossDrillTests.withPair(primary: .replication(synchronousCommit: true),
                                                         replica: .replication(synchronousCommit: true)) { primary, replica in
            let store = DatabasePrimaryLossDrillTests.datastore(primary, replica)
            let folder = try Self.workspace(store)
            defer { try? FileManager.default.removeItem(at: folder) }
            let up = try await DrillCrashTests.yard(["up", "gateway", "--version", "1.0.0"], in: folder)
            #expect(up.status == 0, "\(up.output)")
            do {
                try await Self.killAndRestart(folder, store: store, primary: primary, replica: replica)
            } catch {
                _ = try? await DrillCrashTests.yard(["down", "gateway"], in: folder)
                throw error
            }
            _ = try await DrillCrashTests.yard(["down", "gateway"], in: folder)
        }
    }

    static func killAndRestart(_ folder: URL, store: Datastore, primary: PostgresServer, replica: PostgresServer) async throws {
        let state = try SQLiteStateStore(path: folder.appendingPathComponent(".yard/state.sqlite").path)
        let id = try await DrillCrashTests.killedOnceInjected("drill-dbcrash", in: folder, store: state, within: .seconds(40))
        let clients = try #require(store.clients)
        let a = HostPort(host: "127.0.0.1", port: primary.port), b = HostPort(host: "127.0.0.1", port: replica.port)
        #expect(await PostgresSession.role(of: b, as: clients) == .primary)
        if case .down = await PostgresSession.role(of: a, as: clients) {} else { Issue.record("the old primary answers while the drill is dead") }
        #expect(try await state.pendingRestoreActions(run: id).count == 1)

        // The next start restores first; its own drill then loses pg-b, promoted by the first, and promotes pg-a.
        let next = try await DrillCrashTests.yard(["drill", "run", "drill-dbcrash", "--duration", "2s", "--settle", "3s"], in: folder)
        print(next.output.suffix(4000))
        #expect(next.output.contains("restored interrupted drill \(id)"), "\(next.output)")
        #expect(next.output.contains("pg-a is a replica of pg-b again"), "\(next.output)")
        #expect(next.output.contains("loses its primary pg-b"), "\(next.output)")
        #expect(next.output.contains("primary since an earlier failover"), "\(next.output)")
        // Passed or failed on its objectives, not an error: it ran to its end.
        #expect(next.status != 1, "\(next.output)")
        #expect(try await state.drillRun(id: id)?.status == "restored-after-crash")
        #expect(await PostgresSession.role(of: a, as: clients) == .primary)
        #expect(await PostgresSession.role(of: b, as: clients) == .replica)
    }
}
