import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Leased locks: one release per service at a time, across processes, with leases that end by the `now` passed.
@Suite(.postgres)
struct LockTests {
    static let name = LockName.release(service: "gateway")
    static let first = "release rel-20261125-123456-gateway-k3f9 of gateway"
    static let second = "release rel-20261125-123500-gateway-x1y2 of gateway"

    @Test(arguments: StoreKind.allCases) func heldLockNamesHolderAndLeaseEnd(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        let lease = try await store.acquireLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t0)
        #expect(lease.expiresAt == Fixtures.t(30))
        do {
            try await store.acquireLock(name: Self.name, holder: Self.second, lease: .seconds(30), now: Fixtures.t(10))
            Issue.record("a second holder got a held lock")
        } catch {
            #expect(error == .lockHeld(name: Self.name, holder: Self.first, until: Fixtures.t(30)))
            #expect(error.description == "release rel-20261125-123456-gateway-k3f9 of gateway holds the lock release:gateway until 2026-11-25 12:35:26 UTC; wait for it to finish, or for the lease to end if its process died")
        }
    }

    @Test(arguments: StoreKind.allCases) func theSameHolderRenewsByAcquiring(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        try await store.acquireLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t0)
        let renewed = try await store.acquireLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t(20))
        #expect(renewed.acquiredAt == Fixtures.t0 && renewed.expiresAt == Fixtures.t(50))
        let again = try await store.renewLock(name: Self.name, holder: Self.first, lease: .seconds(60), now: Fixtures.t(40))
        #expect(again.expiresAt == Fixtures.t(100))
    }

    @Test(arguments: StoreKind.allCases) func aLeaseExpiresByTheTimePassed(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        try await store.acquireLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t0)
        await #expect(throws: StateStoreError.self) {
            try await store.acquireLock(name: Self.name, holder: Self.second, lease: .seconds(30), now: Fixtures.t(29))
        }
        let taken = try await store.acquireLock(name: Self.name, holder: Self.second, lease: .seconds(30), now: Fixtures.t(30))
        #expect(taken.holder == Self.second && taken.acquiredAt == Fixtures.t(30))
        // The first holder's process comes back: its lease is gone.
        await #expect(throws: StateStoreError.lockNotHeld(name: Self.name, holder: Self.first, currentHolder: Self.second)) {
            try await store.renewLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t(31))
        }
        #expect(try await store.releaseLock(name: Self.name, holder: Self.first) == false)
        #expect(try await store.lock(name: Self.name)?.holder == Self.second)
    }

    @Test(arguments: StoreKind.allCases) func releaseFreesTheLock(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        try await store.acquireLock(name: Self.name, holder: Self.first, lease: .seconds(30), now: Fixtures.t0)
        #expect(try await store.releaseLock(name: Self.name, holder: Self.first))
        #expect(try await store.lock(name: Self.name) == nil)
        try await store.acquireLock(name: Self.name, holder: Self.second, lease: .seconds(30), now: Fixtures.t(1))
        await #expect(throws: StateStoreError.lockNotHeld(name: "nothing", holder: Self.first, currentHolder: nil)) {
            try await store.renewLock(name: "nothing", holder: Self.first, lease: .seconds(30), now: Fixtures.t(1))
        }
        await #expect(throws: StateStoreError.invalidLease(name: Self.name, lease: .zero)) {
            try await store.acquireLock(name: Self.name, holder: Self.first, lease: .zero, now: Fixtures.t(1))
        }
    }

    @Test(arguments: StoreKind.allCases) func manyTasksOnTwoStoresYieldExactlyOneHolder(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        let stores = [try await folder.open(), try await folder.open()]
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<40 {
                let store = stores[i % 2]
                group.addTask {
                    do {
                        return try await store.acquireLock(name: Self.name, holder: "task \(i)", lease: .seconds(60), now: Fixtures.t0).holder
                    } catch let error as StateStoreError {
                        guard case .lockHeld = error else { throw error }
                        return nil
                    }
                }
            }
            var winners: [String] = []
            for try await winner in group { if let winner { winners.append(winner) } }
            return winners
        }
        #expect(winners.count == 1)
        #expect(try await stores[1].lock(name: Self.name)?.holder == winners.first)
        #expect(try await stores[0].lock(name: Self.name)?.holder == winners.first)
    }
}
