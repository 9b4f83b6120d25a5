import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardTesting
@testable import SwitchyardServer

/// `GET /v1/services/{name}`: live slot and versions from the store, each instance's health probed now
/// against a real gateway process.
@Suite(.serialized) struct ServiceStateTests {
    @Test func showsSlotsVersionsAndTheHealthOfEachInstance() async throws {
        try await GatewayProcess.with(["--version", "1.0.0"]) { gateway in
            try await DaemonHarness.with { yardd in
                // One zone, one replica: blue-0 is the real gateway's port, green-0 the next one (nothing there).
                let text = try ManifestFiles.topology(named: "probe", listen: 7900, ports: gateway.port...(gateway.port + 1),
                                                      replicasPerZone: 1, zones: ["zone-a"])
                try ManifestFiles.write(text, to: yardd.folder, "topologies/probe.yaml")
                let reloaded = try await yardd.post("/v1/reload")
                #expect(reloaded.status == 200, "\(reloaded.json)")

                let ambiguous = try await yardd.get("/v1/services/gateway", as: .role(.viewer))
                #expect(ambiguous.status == 400)
                #expect(ambiguous.errorCode == "ambiguous-service")
                let unknown = try await yardd.get("/v1/services/nope", as: .role(.viewer))
                #expect(unknown.status == 404)

                try await yardd.store.commitRouting(service: "gateway", live: ["zone-a": .blue], versions: [.blue: "1.0.0"], now: Date())
                let blue = InstanceID(service: "gateway", zone: "zone-a", slot: .blue, index: 0, port: gateway.port)
                try await yardd.store.recordInstanceStarted(InstanceRecord(id: blue, pid: gateway.pid, version: "1.0.0", command: ["yard-gateway"],
                                                                           startedAt: Date()))
                let live = try await yardd.get("/v1/services/gateway?topology=probe", as: .role(.viewer))
                #expect(live.status == 200, "\(live.json)")
                #expect(live.object["topology"] as? String == "probe")
                #expect(live.object["liveVersion"] as? String == "1.0.0")
                #expect(live.object["versions"] as? [String: String] == ["blue": "1.0.0"])
                let zones = try #require(live.object["zones"] as? [[String: Any]])
                #expect(zones.first?["liveSlot"] as? String == "blue")
                var instances = try Self.instances(live)
                #expect(instances["gateway-zone-a-blue-0"]?["health"] as? String == "ready")
                #expect(instances["gateway-zone-a-blue-0"]?["live"] as? Bool == true)
                #expect(instances["gateway-zone-a-blue-0"]?["pid"] as? Int == Int(gateway.pid))
                #expect(instances["gateway-zone-a-green-0"]?["health"] as? String == "not-running")
                #expect(instances["gateway-zone-a-green-0"]?["live"] as? Bool == false)

                // Green becomes live with nothing on its port: probed, not ready; blue is still probed (recorded running).
                try await yardd.store.commitRouting(service: "gateway", live: ["zone-a": .green], versions: [.green: "1.1.0"], now: Date())
                let switched = try await yardd.get("/v1/services/gateway?topology=probe", as: .role(.viewer))
                instances = try Self.instances(switched)
                #expect(instances["gateway-zone-a-green-0"]?["health"] as? String == "not-ready")
                #expect(instances["gateway-zone-a-green-0"]?["live"] as? Bool == true)
                #expect(instances["gateway-zone-a-blue-0"]?["health"] as? String == "ready")
                #expect(switched.object["versions"] as? [String: String] == ["blue": "1.0.0", "green": "1.1.0"])
            }
        }
    }

    static func instances(_ reply: DaemonHarness.Reply) throws -> [String: [String: Any]] {
        let list = try #require(reply.object["instances"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.compactMap { item in (item["name"] as? String).map { ($0, item) } })
    }
}
