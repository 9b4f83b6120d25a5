import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Instance records, so that a restarted control plane adopts what runs instead of starting twins.
@Suite(.postgres)
struct InstanceStoreTests {
    static func record(_ id: InstanceID, pid: Int32, at seconds: Int = 0) -> InstanceRecord {
        InstanceRecord(id: id, pid: pid, version: "2.0", command: ["yard-gateway", "--port", "\(id.port)"], startedAt: Fixtures.t(seconds))
    }

    @Test(arguments: StoreKind.allCases) func liveRecordsBySlotAndStopped(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let a0 = Fixtures.instance("a", slot: .green, index: 0, port: 9104)
        let b0 = Fixtures.instance("b", slot: .green, index: 0, port: 9106)
        let a0blue = Fixtures.instance("a", slot: .blue, index: 0, port: 9100)
        for (i, id) in [b0, a0, a0blue].enumerated() { try await store.recordInstanceStarted(Self.record(id, pid: Int32(100 + i))) }

        let live = try await store.liveInstances(service: "gateway")
        #expect(live.map(\.id) == [a0blue, a0, b0], "by zone, slot, index")
        #expect(try await store.liveInstances(service: "gateway", slot: .green).map(\.id) == [a0, b0])
        #expect(live[1].command == ["yard-gateway", "--port", "9104"] && live[1].pid == 101 && live[1].version == "2.0")

        #expect(try await store.markInstanceStopped(a0, now: Fixtures.t(5)))
        #expect(try await store.markInstanceStopped(a0, now: Fixtures.t(6)) == false, "nothing live left to stop")
        #expect(try await store.liveInstances(service: "gateway", slot: .green).map(\.id) == [b0])
        #expect(try await store.liveInstances(service: "other").isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func startingAgainReplacesTheLiveRecord(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let id = Fixtures.instance()
        try await store.recordInstanceStarted(Self.record(id, pid: 100))
        try await store.recordInstanceStarted(Self.record(id, pid: 200, at: 9))
        let live = try await store.liveInstances(service: "gateway")
        #expect(live.count == 1 && live[0].pid == 200 && live[0].startedAt == Fixtures.t(9))
    }

    @Test(arguments: StoreKind.allCases) func removeDeletesEveryRecordOfTheInstance(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let id = Fixtures.instance()
        try await store.recordInstanceStarted(Self.record(id, pid: 100))
        try await store.recordInstanceStarted(Self.record(id, pid: 200, at: 9))
        #expect(try await store.removeInstance(id) == 2)
        #expect(try await store.liveInstances(service: "gateway").isEmpty)
    }
}
