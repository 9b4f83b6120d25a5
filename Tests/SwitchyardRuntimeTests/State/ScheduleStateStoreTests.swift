import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// What the drill scheduler has decided, per playbook, kept across restarts.
@Suite(.postgres)
struct ScheduleStateStoreTests {
    @Test(arguments: StoreKind.allCases) func aScheduleStateIsSavedReplacedAndKeptAcrossARestart(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        do {
            let store = try await folder.open()
            #expect(try await store.scheduleState(playbook: "drill-zone-outage") == nil)
            try await store.saveScheduleState(playbook: "drill-zone-outage", ScheduleState(handledThrough: Fixtures.t0), now: Fixtures.t0)
            let deferred = ScheduleState(handledThrough: Fixtures.t(60), deferredFire: Fixtures.t(30))
            try await store.saveScheduleState(playbook: "drill-zone-outage", deferred, now: Fixtures.t(60))
            try await store.saveScheduleState(playbook: "drill-lb-loss", ScheduleState(), now: Fixtures.t(60))
        }
        let store = try await folder.open()
        #expect(try await store.scheduleState(playbook: "drill-zone-outage") == ScheduleState(handledThrough: Fixtures.t(60), deferredFire: Fixtures.t(30)))
        #expect(try await store.scheduleState(playbook: "drill-lb-loss") == ScheduleState())
        #expect(try await store.scheduleState(playbook: "drill-other") == nil)
    }

    @Test func theReleaseLockNameIsTheOneReleasesTake() {
        #expect(LockName.release(topology: "local", service: "gateway") == "release/local/gateway")
    }
}
