import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// What the load balancer routes per zone and which version each slot runs; nginx master pids.
@Suite(.postgres)
struct RoutingStoreTests {
    @Test(arguments: StoreKind.allCases) func committedRoutingReadsBackAndMerges(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        #expect(try await store.routing(service: "gateway") == nil)
        try await store.commitRouting(service: "gateway", live: ["a": .blue, "b": .blue], versions: [.blue: "1.0"], now: Fixtures.t0)
        var routing = try #require(try await store.routing(service: "gateway"))
        #expect(routing.live == ["a": .blue, "b": .blue] && routing.versions == [.blue: "1.0"])
        #expect(routing.liveVersion == "1.0")

        // A first wave switches zone a to green running 2.0.
        try await store.commitRouting(service: "gateway", live: ["a": .green], versions: [.green: "2.0"], now: Fixtures.t(60))
        routing = try #require(try await store.routing(service: "gateway"))
        #expect(routing.live == ["a": .green, "b": .blue])
        #expect(routing.versions == [.blue: "1.0", .green: "2.0"])
        #expect(routing.liveVersion == nil, "two versions serve traffic")
        #expect(routing.updatedAt == Fixtures.t(60))
        #expect(try await store.routing(service: "router") == nil)
    }

    @Test(arguments: StoreKind.allCases) func loadBalancerMasterPid(_ kind: StoreKind) async throws {
        let store = try await kind.store()
        #expect(try await store.loadBalancer(name: "edge") == nil)
        try await store.recordLoadBalancer(name: "edge", masterPID: 4242, now: Fixtures.t0)
        try await store.recordLoadBalancer(name: "edge", masterPID: 4343, now: Fixtures.t(1))
        #expect(try await store.loadBalancer(name: "edge") == LoadBalancerRecord(name: "edge", masterPID: 4343, updatedAt: Fixtures.t(1)))
        #expect(try await store.removeLoadBalancer(name: "edge"))
        #expect(try await store.loadBalancer(name: "edge") == nil)
    }
}
