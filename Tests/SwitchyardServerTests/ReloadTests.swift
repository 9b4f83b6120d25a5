import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// `POST /v1/reload`: validated first, swapped whole, audited.
@Suite(.serialized) struct ReloadTests {
    static func topologyNames(_ yardd: DaemonHarness) async throws -> [String] {
        let reply = try await yardd.get("/v1/topologies", as: .role(.viewer))
        #expect(reply.status == 200)
        return ((reply.object["topologies"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    @Test func aBadSetIsRefusedWithItsLocatedErrorsAndTheOldOneKeepsServing() async throws {
        try await DaemonHarness.with { yardd in
            let before = try await Self.topologyNames(yardd)
            #expect(before == ["local", "two-zone-production"])
            let broken = try ManifestFiles.topology(named: "broken", listen: 7900, ports: 7910...7929, replicasPerZone: 0)
            try ManifestFiles.write(broken, to: yardd.folder, "topologies/broken.yaml")

            let reply = try await yardd.post("/v1/reload")
            #expect(reply.status == 422, "\(reply.json)")
            #expect(reply.errorCode == "invalid-manifests")
            let details = try #require((reply.object["error"] as? [String: Any])?["details"] as? [String: String])
            #expect(details["file"]?.hasSuffix("topologies/broken.yaml") == true, "\(details)")
            #expect(details["line"] == ManifestFiles.line(of: "replicasPerZone: 0", in: broken).map(String.init), "\(details)")
            #expect(Int(details["column"] ?? "") ?? 0 > 0)
            #expect(details["path"]?.contains("replicasPerZone") == true, "\(details)")
            #expect(details["diagnostics"]?.contains("broken.yaml:") == true)

            #expect(try await Self.topologyNames(yardd) == before)
            let audit = try await yardd.store.listAudit(limit: 10).reversed().map { "\($0.action) \($0.outcome)" }
            #expect(audit == ["manifests.reload requested", "manifests.reload refused"])
            let metrics = try await yardd.text("/metrics")
            #expect(metrics.contains(#"yardd_manifest_reloads_total{outcome="refused"} 1"#), "\(metrics)")
        }
    }

    @Test func aGoodSetIsSwappedInWhole() async throws {
        try await DaemonHarness.with { yardd in
            try ManifestFiles.write(try ManifestFiles.topology(named: "second", listen: 7900, ports: 7910...7929), to: yardd.folder, "topologies/second.yaml")
            let reply = try await yardd.post("/v1/reload")
            #expect(reply.status == 200, "\(reply.json)")
            #expect(reply.object["added"] as? [String] == ["second"])
            #expect(reply.object["removed"] as? [String] == [])
            #expect(try await Self.topologyNames(yardd) == ["local", "second", "two-zone-production"])
            #expect(yardd.daemon.catalog.set.topology(named: "second") != nil)

            try FileManager.default.removeItem(at: yardd.folder.appendingPathComponent("topologies/second.yaml"))
            let again = try await yardd.post("/v1/reload")
            #expect(again.object["removed"] as? [String] == ["second"])
            #expect(try await Self.topologyNames(yardd) == ["local", "two-zone-production"])
        }
    }

    @Test func reloadNeedsTheAdminRole() async throws {
        try await DaemonHarness.with { yardd in
            let reply = try await yardd.post("/v1/reload", as: .role(.operator))
            #expect(reply.status == 403)
            #expect(((reply.object["error"] as? [String: Any])?["details"] as? [String: String])?["required"] == "admin")
            #expect(try await yardd.store.listAudit(limit: 10).isEmpty)
        }
    }

    @Test func aRunningReleaseKeepsTheManifestsItStartedWith() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-running") }) { yardd in
            #expect(await yardd.daemon.releases.running == 1)
            // The topology the release runs in disappears from the served set; the release goes on.
            let local = yardd.folder.appendingPathComponent("topologies/local.yaml")
            try FileManager.default.moveItem(at: local, to: yardd.folder.appendingPathComponent("local.yaml.off"))
            for playbook in ["release-gateway", "drill-zone-outage", "drill-db-primary-loss"] {
                try FileManager.default.removeItem(at: yardd.folder.appendingPathComponent("playbooks/\(playbook).yaml"))
            }
            let reply = try await yardd.post("/v1/reload")
            #expect(reply.status == 200, "\(reply.json)")
            #expect(reply.object["removed"] as? [String] == ["local"])
            #expect(await yardd.daemon.releases.running == 1)
            #expect(try await yardd.store.release(id: "rel-running")?.isFinished == false)
            let start = try await yardd.post("/v1/releases", ["service": "gateway", "version": "3.0"])
            #expect(start.errorCode == "no-playbook", "new releases see the new set: \(start.json)")
        }
    }
}
