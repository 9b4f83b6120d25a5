import Foundation
import Testing
@testable import SwitchyardCore

/// The examples shipped in topologies/ and playbooks/ are valid, and survive a round trip:
/// model -> JSON (the `--json` output, which is also YAML) -> model gives the same model.
struct ExampleManifestTests {
    @Test func everyExampleIsShipped() throws {
        let examples = try Fixtures.examples()
        for required in ["topologies/local.yaml", "topologies/two-zone-production.yaml", "playbooks/release-gateway.yaml",
                         "playbooks/drill-zone-outage.yaml", "playbooks/drill-db-primary-loss.yaml", "playbooks/capacity-peak-sale.yaml"] {
            #expect(examples.contains(required), "missing example \(required)")
        }
    }

    @Test(arguments: try Fixtures.examples())
    func exampleValidates(path: String) throws {
        let diagnostics = Fixtures.validate(bytes: try Fixtures.exampleBytes(path), file: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test(arguments: try Fixtures.examples())
    func exampleRoundTrips(path: String) throws {
        let decoded = ManifestDecoder.decode(bytes: try Fixtures.exampleBytes(path), file: path)
        let original = try #require(decoded.manifests.first?.manifest)
        let json = try Self.json(original)
        let again = ManifestDecoder.decode(text: json, file: "roundtrip.json")
        #expect(again.diagnostics.isEmpty, "\(again.diagnostics)")
        #expect(again.manifests.first?.manifest == original)
    }

    @Test func localTopologyReadsAsDocumented() throws {
        let decoded = ManifestDecoder.decode(bytes: try Fixtures.exampleBytes("topologies/local.yaml"), file: "local.yaml")
        guard case .topology(let topology) = try #require(decoded.manifests.first?.manifest) else { Issue.record("not a topology"); return }
        #expect(topology.zones.map(\.name) == ["zone-a", "zone-b"])
        let gateway = try #require(topology.service(named: "gateway"))
        #expect(gateway.replicasPerZone == 2)
        #expect(gateway.instances(slot: .blue).count == 4)
        #expect(gateway.instances(slot: .green).map(\.port) == [7814, 7815, 7816, 7817])
        let balancer = try #require(topology.loadBalancer(named: "edge"))
        #expect(balancer.listen == HostPort(host: "127.0.0.1", port: 7800))
        #expect(balancer.previewListen.port == 7801)
        let command = gateway.command(for: gateway.instances(slot: .green, zone: "zone-b")[1], version: "1.4.2")
        #expect(command == ["yard-gateway", "--port", "7817", "--version", "1.4.2", "--zone", "zone-b", "--slot", "green",
                            "--instance", "gateway-zone-b-green-1", "--service", "gateway"])
    }

    @Test func releasePlaybookReadsAsDocumented() throws {
        let decoded = ManifestDecoder.decode(bytes: try Fixtures.exampleBytes("playbooks/release-gateway.yaml"), file: "r.yaml")
        guard case .releasePlaybook(let playbook) = try #require(decoded.manifests.first?.manifest) else { Issue.record("not a release playbook"); return }
        #expect(playbook.bake.duration == .minutes(10))
        #expect(playbook.preGates == ["ready", "smoke-stream"])
        guard case .metric(let errors) = try #require(playbook.gate(named: "error-rate")).probe else { Issue.record("not a metric gate"); return }
        #expect(errors.measure == .errorRate)
        #expect(errors.threshold.max == 0.05)
        #expect(playbook.bake.gates == ["error-rate", "p99-ttft"])
        guard case .metric(let ttft) = try #require(playbook.gate(named: "p99-ttft")).probe else { Issue.record("not a metric gate"); return }
        #expect(ttft.measure == .p99TimeToFirstToken)
        #expect(ttft.threshold.max == 0.25)
        guard case .metric(let latency) = try #require(playbook.gate(named: "p99-latency")).probe else { Issue.record("not a metric gate"); return }
        #expect(latency.threshold.max == 0.15)
    }

    static func json(_ manifest: Manifest) throws -> String {
        let encoder = JSONEncoder()
        let body: Data
        switch manifest {
        case .topology(let value): body = try encoder.encode(value)
        case .releasePlaybook(let value): body = try encoder.encode(value)
        case .drillPlaybook(let value): body = try encoder.encode(value)
        case .capacityPlan(let value): body = try encoder.encode(value)
        }
        var object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        object["apiVersion"] = Manifest.apiVersion
        object["kind"] = manifest.kind.rawValue
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
