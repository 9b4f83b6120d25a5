import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

@Suite(.serialized) struct HealthAndTopologyTests {
    @Test func answersHealthAndReadiness() async throws {
        try await DaemonHarness.with { yardd in
            let health = try await yardd.get("/healthz")
            #expect(health.status == 200)
            #expect(health.object["status"] as? String == "alive")
            let ready = try await yardd.get("/readyz")
            #expect(ready.status == 200)
            #expect(ready.object["status"] as? String == "ready")
        }
    }

    @Test func listsTopologiesWithNothingLiveBeforeTheFirstVersion() async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.get("/v1/topologies")
            #expect(reply.status == 200)
            let topologies = try #require(reply.object["topologies"] as? [[String: Any]])
            let local = try #require(topologies.first { $0["name"] as? String == "local" })
            #expect(local["zones"] as? [String] == ["zone-a", "zone-b"])
            let services = try #require(local["services"] as? [[String: Any]])
            let gateway = try #require(services.first { $0["name"] as? String == "gateway" })
            #expect(gateway["releasePlaybook"] as? String == "release-gateway")
            #expect(gateway["liveVersion"] == nil)
            let zones = try #require(gateway["zones"] as? [[String: Any]])
            #expect(zones.map { $0["name"] as? String } == ["zone-a", "zone-b"])
            #expect(zones.allSatisfy { $0["liveSlot"] == nil })
        }
    }

    @Test func showsTheLiveSlotAndVersionOfEachZoneFromTheStore() async throws {
        try await DaemonHarness.with { yardd in
            try await yardd.store.commitRouting(service: "gateway", live: ["zone-a": .green, "zone-b": .blue],
                                                versions: [.blue: "1.0.0", .green: "1.1.0"], now: Date())
            let reply = try await yardd.get("/v1/topologies")
            let topologies = try #require(reply.object["topologies"] as? [[String: Any]])
            let local = try #require(topologies.first { $0["name"] as? String == "local" })
            let gateway = try #require((local["services"] as? [[String: Any]])?.first { $0["name"] as? String == "gateway" })
            let zones = try #require(gateway["zones"] as? [[String: Any]])
            #expect(zones[0]["liveSlot"] as? String == "green")
            #expect(zones[0]["version"] as? String == "1.1.0")
            #expect(zones[1]["liveSlot"] as? String == "blue")
            #expect(zones[1]["version"] as? String == "1.0.0")
            #expect(gateway["liveVersion"] == nil, "zones serve different versions")
        }
    }

    @Test func unknownRoutesAnswerTheErrorShape() async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.get("/v1/nothing-here")
            #expect(reply.status == 404)
            let error = try #require(reply.object["error"] as? [String: Any])
            #expect(error["code"] as? String == "not-found")
            #expect((error["message"] as? String)?.contains("/v1/nothing-here") == true)
            #expect(error["details"] is [String: Any])
        }
    }
}
