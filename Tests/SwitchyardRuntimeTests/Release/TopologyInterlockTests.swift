import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A release, a drill, `yard up` and `yard down` of one topology exclude each other: whoever holds the topology (or the
/// service's release lock) is named, and nothing is started or stopped. No process runs here: each refusal comes first.
@Suite(.serialized) struct TopologyInterlockTests {
    static func harness() throws -> ReleaseHarness { try ReleaseHarness(basePort: 34600) }

    @Test func aReleaseWaitsWhileTheTopologyIsHeld() async throws {
        let harness = try Self.harness()
        defer { try? FileManager.default.removeItem(at: harness.folder) }
        let context = try harness.context()
        try await harness.store.commitRouting(service: "gateway", live: ["zone-a": .blue, "zone-b": .blue], versions: [.blue: "1.0.0"], now: Date())
        try await harness.store.acquireLock(name: LockName.topology(harness.topology.name), holder: "drill-run-1", lease: .seconds(60), now: Date())
        do {
            _ = try await ReleaseRunner(context: context).release(version: "2.0.0")
            Issue.record("a release started while a drill held the topology")
        } catch ReleaseRunner.Failure.topologyBusy(let topology, let holder) {
            #expect(topology == harness.topology.name && holder == "drill-run-1")
        }
        #expect(try await harness.store.listReleases(ReleaseQuery(limit: 5)).isEmpty, "no release was recorded")
        #expect(try await harness.store.lock(name: context.lockName) == nil, "its service lock was given back")
        let audit = try await harness.store.listAudit(limit: 5)
        #expect(audit.map(\.outcome) == ["refused", "requested"])
        #expect(audit.first?.detail?.contains("drill-run-1 holds topology") == true)
    }

    @Test func upAndDownWaitForADrillOrARelease() async throws {
        let harness = try Self.harness()
        defer { try? FileManager.default.removeItem(at: harness.folder) }
        let context = try harness.context()
        let fleet = Fleet(context: context)
        try await harness.store.acquireLock(name: LockName.topology(harness.topology.name), holder: "drill-run-1", lease: .seconds(60), now: Date())
        await #expect(throws: Fleet.Busy.self) { _ = try await fleet.up(version: "1.0.0") }
        #expect(await context.instances.running(context.service, slot: .blue).isEmpty, "nothing started")
        #expect(try await harness.store.releaseLock(name: LockName.topology(harness.topology.name), holder: "drill-run-1"))

        try await harness.store.acquireLock(name: context.lockName, holder: "rel-x", lease: .seconds(60), now: Date())
        do {
            try await fleet.holdingTopology("yard down") { Issue.record("down ran during a release") }
            Issue.record("down was not refused")
        } catch let busy as Fleet.Busy {
            #expect(busy.holder == "rel-x")
        }
        #expect(try await harness.store.lock(name: LockName.topology(harness.topology.name)) == nil, "the refused down gave the topology back")
    }
}
