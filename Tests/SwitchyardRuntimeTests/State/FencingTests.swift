import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Fenced writes: a writer whose lease was taken over (by another holder, or by its own name after it lapsed) writes
/// nothing more, and what it tried to write is not half there.
@Suite(.postgres)
struct FencingTests {
    static let lock = LockName.release(service: "gateway")

    @Test(arguments: StoreKind.allCases) func everyTakeoverGetsAHigherGenerationEvenAfterARelease(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let first = try await store.acquireLock(name: Self.lock, holder: "rel-a", lease: .seconds(30), now: Fixtures.t0)
        let renewed = try await store.acquireLock(name: Self.lock, holder: "rel-a", lease: .seconds(30), now: Fixtures.t(10))
        #expect(renewed.generation == first.generation)
        let lapsedAndRetaken = try await store.acquireLock(name: Self.lock, holder: "rel-a", lease: .seconds(30), now: Fixtures.t(50))
        #expect(lapsedAndRetaken.generation > first.generation, "the same name after its lease ran out is a new generation")
        #expect(try await store.releaseLock(name: Self.lock, holder: "rel-a"))
        let other = try await store.acquireLock(name: Self.lock, holder: "rel-b", lease: .seconds(30), now: Fixtures.t(51))
        #expect(other.generation > lapsedAndRetaken.generation, "a release does not reset the count")
        #expect(try await store.lock(name: Self.lock)?.generation == other.generation)
    }

    @Test(arguments: StoreKind.allCases) func aDeposedWriterCanNeitherJournalNorCommitRoutingNorRenew(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let machine = ReleaseMachine(plan: Fixtures.plan())
        _ = try await store.createRelease(NewRelease(id: "rel-a", startedBy: "ci", machine: machine, now: Fixtures.t0), journal: [], now: Fixtures.t0)
        let stale = try await store.acquireLock(name: Self.lock, holder: "rel-a", lease: .seconds(5), now: Fixtures.t0)
        // Its lease runs out while it is frozen, and someone takes the service over.
        let fresh = try await store.acquireLock(name: Self.lock, holder: "rel-b", lease: .seconds(60), now: Fixtures.t(6))
        let routing = RoutingCommit(service: "gateway", live: ["a": .green, "b": .green], versions: [.green: "2.0"])
        do {
            try await store.saveRelease(id: "rel-a", machine: machine, journal: [.note("switching")], routing: routing, fences: [stale.fence], now: Fixtures.t(7))
            Issue.record("a deposed writer saved its release")
        } catch {
            guard case .fenced(let fence, let current) = error else { Issue.record("\(error)"); return }
            #expect(fence == stale.fence)
            #expect(current == "rel-b (generation \(fresh.generation))")
            #expect(error.description.contains("may not write or act any more"))
        }
        #expect(try await store.journal(release: "rel-a").isEmpty, "nothing of the refused transaction was written")
        #expect(try await store.routing(service: "gateway") == nil, "the routing was not committed")
        await #expect(throws: StateStoreError.self) {
            try await store.appendJournal(release: "rel-a", [.note("still here")], fences: [stale.fence], now: Fixtures.t(8))
        }
        await #expect(throws: StateStoreError.self) { try await store.renewLock(stale.fence, lease: .seconds(5), now: Fixtures.t(8)) }
        await #expect(throws: StateStoreError.self) { try await store.checkFences([stale.fence]) }
        // The one holding it writes, and the routing goes in with its journal entry.
        try await store.saveRelease(id: "rel-a", machine: machine, journal: [.note("closed by rel-b")], routing: routing, fences: [fresh.fence], now: Fixtures.t(9))
        #expect(try await store.routing(service: "gateway")?.live == ["a": .green, "b": .green])
        #expect(try await store.journal(release: "rel-a").map(\.message) == ["closed by rel-b"])
    }

    @Test(arguments: StoreKind.allCases) func aDeposedDrillRunWritesNeitherItsReportNorARestoreStep(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        _ = try await store.createDrillRun(id: "drill-1", playbook: "drill-zone-outage", status: "observing", now: Fixtures.t0)
        let stale = try await store.acquireLock(name: "drill/drill-zone-outage", holder: "drill-1", lease: .seconds(15), now: Fixtures.t0)
        // Recovery elsewhere ran its restores and freed the lapsed lock; a second run took the playbook.
        #expect(try await store.releaseLock(name: "drill/drill-zone-outage", holder: "drill-1"))
        _ = try await store.acquireLock(name: "drill/drill-zone-outage", holder: "drill-2", lease: .seconds(15), now: Fixtures.t(20))
        await #expect(throws: StateStoreError.self) {
            try await store.updateDrillRun(id: "drill-1", status: "passed", report: nil, finished: true, fences: [stale.fence], now: Fixtures.t(21))
        }
        await #expect(throws: StateStoreError.self) {
            try await store.appendRestoreAction(run: "drill-1", action: try JSONText(encoding: ["undo": "x"]), fences: [stale.fence], now: Fixtures.t(21))
        }
        let run = try #require(try await store.drillRun(id: "drill-1"))
        #expect(run.status == "observing" && !run.isFinished, "the deposed run's verdict was not recorded")
        #expect(try await store.pendingRestoreActions(run: "drill-1").isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aLapsedLeaseNobodyTookStillRenews(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let lease = try await store.acquireLock(name: Self.lock, holder: "rel-a", lease: .seconds(5), now: Fixtures.t0)
        // Frozen past the lease, but nobody took over: the fence still holds, nothing was done by anyone else.
        let renewed = try await store.renewLock(lease.fence, lease: .seconds(5), now: Fixtures.t(30))
        #expect(renewed.generation == lease.generation)
        #expect(renewed.expiresAt == Fixtures.t(35))
    }
}
