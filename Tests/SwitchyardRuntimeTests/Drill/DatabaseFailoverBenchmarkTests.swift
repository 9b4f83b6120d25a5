import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// The figures of docs/drills.md beside DRILL-FACTS.md: kill → promoted and kill → first write acknowledged by the new
/// primary over 10 failovers per setting, and the acknowledged writes lost, without the fleet (the failover, the write
/// probe and the read-back of `db-primary-loss`). About 2 minutes: runs only with SWITCHYARD_BENCH=1.
@Suite("Database failover figures", .serialized, .enabled(if: ProcessInfo.processInfo.environment["SWITCHYARD_BENCH"] == "1"))
struct DatabaseFailoverBenchmarkTests {
    struct Run {
        var promoted: Double
        var firstWrite: Double
        var lost: Int
    }

    static func failover(primary: PostgresServer.Settings, replica: PostgresServer.Settings, writesPerSecond: Int) async throws -> Run {
        try await DatabasePrimaryLossDrillTests.withPair(primary: primary, replica: replica) { first, second in
            let store = DatabasePrimaryLossDrillTests.datastore(first, second)
            let clients = try #require(store.clients)
            let loss = PrimaryLoss(datastore: store.name, primary: store.members[0], replica: store.members[1], others: [store.members[1]], clients: clients,
                                   failover: .drillPromotes)
            let probe = WriteProbe(clients: clients, run: "bench-\(UUID().uuidString.prefix(6))", perSecond: writesPerSecond)
            try await probe.start()
            try await Task.sleep(for: .seconds(1))
            let outcome = try await PostgresFailover(loss: loss).perform()
            try await Task.sleep(for: .seconds(1))
            let (attempts, ended) = await probe.stop()
            let present = try await probe.readBack().get()
            let report = WriteProbeReport.analyze(attempts: attempts, faultAt: await probe.seconds(outcome.killedAt), endedAt: await probe.seconds(ended),
                                                  target: "\(clients)", perSecond: writesPerSecond, oldPrimary: "\(loss.primary.address)",
                                                  newPrimary: "\(loss.replica.address)",
                                                  promotedAfter: outcome.promoted.map { ($0.at - outcome.killedAt).seconds }, present: present, readBackFailure: nil)
            return Run(promoted: report.promotedAfter ?? -1, firstWrite: try #require(report.firstWriteOnNewPrimary), lost: try #require(report.lost))
        }
    }

    static func line(_ name: String, _ runs: [Run]) -> String {
        func ms(_ values: [Double]) -> String {
            let sorted = values.sorted()
            let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            return String(format: "median %.0f ms, max %.0f ms", median * 1000, (sorted.last ?? 0) * 1000)
        }
        return "\(name): kill → promoted \(ms(runs.map(\.promoted))); kill → first write \(ms(runs.map(\.firstWrite))); "
            + "lost writes \(runs.map(\.lost).reduce(0, +)) in \(runs.count) runs (\(runs.map { String($0.lost) }.joined(separator: " ")))"
    }

    @Test(arguments: [("synchronous_commit off", false, false), ("on, no synchronous standby", true, false), ("on, synchronous standby", true, true)])
    func tenFailovers(_ name: String, _ synchronousCommit: Bool, _ synchronousStandby: Bool) async throws {
        var runs: [Run] = []
        for _ in 0..<10 {
            runs.append(try await Self.failover(primary: .replication(synchronousCommit: synchronousCommit, synchronousStandby: synchronousStandby),
                                                replica: .replication(synchronousCommit: synchronousCommit), writesPerSecond: 50))
        }
        print("BENCH " + Self.line(name, runs))
        #expect(runs.count == 10)
        if synchronousStandby { #expect(runs.allSatisfy { $0.lost == 0 }) }
    }
}
