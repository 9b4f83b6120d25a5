import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// A drill's leases last as long as the run, a restore longer than the lease included: nobody can start a second run
/// of the playbook (or a release of the topology) meanwhile, and the run's own verdict is the one recorded.
@Suite("Drill leases", .serialized)
struct DrillLeaseTests {
    @Test func aRestoreLongerThanTheLeaseKeepsEveryoneElseOut() async throws {
        try await ReleaseHarness.with(basePort: 34400) { harness in
            let marker = harness.folder.appendingPathComponent("restoring").path
            // The restore takes 18 s, past the 15 s lease.
            let fault = FaultSpec.exec(command: ["/bin/true"], restore: ["/bin/sh", "-c", "touch \(marker); sleep 18; rm \(marker)"],
                                       recoveryCheck: ["/bin/true"], datastore: "orders")
            let playbook = DrillRunTests.playbook(harness.topology, fault: fault, duration: .seconds(1))
            let (first, _) = try DrillRunTests.runner(harness, playbook, settleLimit: .seconds(5))
            let (second, _) = try DrillRunTests.runner(harness, playbook, settleLimit: .seconds(5))
            try await first.claim()
            let running = Task { await first.run() }
            // Wait until the restore runs, then past the lease.
            while !FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .milliseconds(100)) }
            try await Task.sleep(for: .seconds(16))
            #expect(FileManager.default.fileExists(atPath: marker), "still restoring")
            await #expect(throws: DrillRunner.Failure.self, "a second run while the first restores") { try await second.claim() }
            let lock = try #require(try await harness.store.lock(name: DrillRunner.lockName(playbook.name)))
            #expect(lock.expiresAt > Date(), "renewed during the restore")
            let report = await running.value
            #expect(report.outcome == .passed, "\(report.text)")
            #expect(try await harness.store.drillRun(id: first.id)?.status == "passed")
            #expect(try await harness.store.lock(name: LockName.topology(harness.topology.name)) == nil, "the topology is free again")
        }
    }
}
