import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Release records: created from a machine, saved with its journal in one transaction, listed, resumed.
@Suite(.postgres)
struct ReleaseStoreTests {
    @Test func idsReadAsTimeServiceAndSuffix() {
        #expect(ReleaseID.make(service: "gateway", now: Fixtures.t0, suffix: "k3f9") == "rel-20261125-123456-gateway-k3f9")
        #expect(ReleaseID.make(service: "gateway", now: Fixtures.t0, suffix: "") == "rel-20261125-123456-gateway")
        let random = ReleaseID.make(service: "gateway", now: Fixtures.t0)
        #expect(random.count == "rel-20261125-123456-gateway-".count + 4)
    }

    @Test(arguments: StoreKind.allCases) func createdReleaseReadsBackWithItsMachine(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        let store = try await folder.open()
        var machine = ReleaseMachine(plan: Fixtures.plan())
        let actions = machine.start()
        let created = try await store.createRelease(NewRelease(id: "rel-1", startedBy: "ci", machine: machine, now: Fixtures.t0),
                                                    journal: [.note("release of 2.0 requested"), try .actionStarted(actions[0], message: "deploy green")],
                                                    now: Fixtures.t0)
        #expect(created.phase == .deploying)
        let read = try #require(try await store.release(id: "rel-1"))
        #expect(read == created)
        #expect(read.machine == machine)
        #expect(read.service == "gateway" && read.topology == "local" && read.version == "2.0" && read.startedBy == "ci")
        #expect(read.finishedAt == nil)
        #expect(try await store.journal(release: "rel-1").map(\.sequence) == [1, 2])
    }

    @Test(arguments: StoreKind.allCases) func aTakenIdIsRefused(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let new = NewRelease(id: "rel-1", startedBy: "ci", machine: ReleaseMachine(plan: Fixtures.plan()), now: Fixtures.t0)
        _ = try await store.createRelease(new, now: Fixtures.t0)
        await #expect(throws: StateStoreError.releaseExists(id: "rel-1")) { try await store.createRelease(new, now: Fixtures.t0) }
    }

    @Test(arguments: StoreKind.allCases) func savingUpdatesSnapshotColumnsAndJournalTogether(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        var machine = ReleaseMachine(plan: Fixtures.plan())
        _ = machine.start()
        _ = try await store.createRelease(NewRelease(id: "rel-1", startedBy: "ci", machine: machine, now: Fixtures.t0), now: Fixtures.t0)
        _ = machine.deployed(ok: false, detail: "never ready")
        let entries = try await store.saveRelease(id: "rel-1", machine: machine, journal: [.event(message: "deployed: never ready")], now: Fixtures.t(5))
        #expect(entries.map(\.sequence) == [1])
        var read = try #require(try await store.release(id: "rel-1"))
        #expect(read.phase == .rollingBack && read.reason == "deploy failed: never ready" && read.outcome == nil)
        #expect(read.updatedAt == Fixtures.t(5) && read.finishedAt == nil)

        _ = machine.retired(ok: true, detail: "")
        try await store.saveRelease(id: "rel-1", machine: machine, journal: [], now: Fixtures.t(9))
        try await store.saveRelease(id: "rel-1", machine: machine, journal: [], now: Fixtures.t(12))
        read = try #require(try await store.release(id: "rel-1"))
        #expect(read.phase == .rolledBack && read.outcome == .rolledBack)
        #expect(read.finishedAt == Fixtures.t(9), "finishedAt is set once, the first time the machine is terminal")
        #expect(try await store.unfinishedReleases().isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aFailedSaveWritesNothing(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let machine = ReleaseMachine(plan: Fixtures.plan())
        _ = try await store.createRelease(NewRelease(id: "rel-1", startedBy: "ci", machine: machine, now: Fixtures.t0), now: Fixtures.t0)
        var next = machine
        _ = next.start()
        // Completing entry #7, which does not exist, fails the whole save: the snapshot stays as it was.
        await #expect(throws: StateStoreError.journalEntryNotFound(release: "rel-1", sequence: 7)) {
            try await store.saveRelease(id: "rel-1", machine: next, journal: [.note("before"), .completion(of: 7, message: "done")], now: Fixtures.t(1))
        }
        #expect(try await store.release(id: "rel-1")?.phase == .planned)
        #expect(try await store.journal(release: "rel-1").isEmpty)
        await #expect(throws: StateStoreError.releaseNotFound(id: "rel-9")) {
            try await store.saveRelease(id: "rel-9", machine: next, journal: [], now: Fixtures.t(1))
        }
    }

    @Test(arguments: StoreKind.allCases) func listIsNewestFirstFilteredAndLimited(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        for (i, service) in ["gateway", "router", "gateway", "gateway"].enumerated() {
            let machine = ReleaseMachine(plan: Fixtures.plan(service: service))
            _ = try await store.createRelease(NewRelease(id: "rel-\(i)", startedBy: "ci", machine: machine, now: Fixtures.t(i)), now: Fixtures.t(i))
        }
        #expect(try await store.listReleases(ReleaseQuery()).map(\.id) == ["rel-3", "rel-2", "rel-1", "rel-0"])
        #expect(try await store.listReleases(ReleaseQuery(service: "gateway", limit: 2)).map(\.id) == ["rel-3", "rel-2"])
        #expect(try await store.listReleases(ReleaseQuery(service: "nothing")).isEmpty)
        #expect(try await store.unfinishedReleases().map(\.id) == ["rel-0", "rel-1", "rel-2", "rel-3"])
        #expect(try await store.release(id: "rel-9") == nil)
    }
}
