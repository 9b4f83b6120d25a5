import Testing
import Foundation
@testable import SwitchyardCore

/// `zones[].hosts`: read as written, instances spread over them, located errors for what cannot be a host.
struct HostsManifestTests {
    static func topology(zones: String) -> String {
        """
        apiVersion: switchyard/v1
        kind: Topology
        name: fleet
        zones:
        \(zones)
        services:
          - name: gateway
            zones: [zone-a, zone-b]
            replicasPerZone: 2
            instance:
              command: /opt/gw --host {host} --port {port} --version {version}
              ports: 9100
            capacityQPS: 100
        """
    }

    @Test func hostsAreReadAndTheZoneReplicasTakeThemInTurn() throws {
        let text = Self.topology(zones: """
          - name: zone-a
            hosts:
              - {address: 10.0.1.10, user: deploy, port: 2222, identityFile: /etc/yard/id_ed25519}
              - {address: 10.0.1.11, supervisor: process}
          - {name: zone-b, hosts: [gw-b1.example.test]}
        """)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        #expect(topology.zones[0].hosts == [
            ZoneHost(zone: "zone-a", address: "10.0.1.10", user: "deploy", sshPort: 2222, identityFile: "/etc/yard/id_ed25519"),
            ZoneHost(zone: "zone-a", address: "10.0.1.11", supervisor: .process),
        ])
        #expect(topology.zones[0].hosts[0].supervisor == .auto, "systemd where the host runs it, else a plain process")
        let service = topology.services[0]
        let blue = service.instances(slot: .blue)
        #expect(blue.map { service.host(of: $0)?.address } == ["10.0.1.10", "10.0.1.11", "gw-b1.example.test", "gw-b1.example.test"])
        #expect(service.addresses(.blue, zones: ["zone-a"]) == [HostPort(host: "10.0.1.10", port: 9100), HostPort(host: "10.0.1.11", port: 9101)])
        #expect(service.command(for: blue[1], version: "1.0.0") == ["/opt/gw", "--host", "10.0.1.11", "--port", "9101", "--version", "1.0.0"])
    }

    @Test func withoutHostsInstancesAreLocalAsBefore() throws {
        let text = Self.topology(zones: "  [zone-a, zone-b]")
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        let service = topology.services[0]
        #expect(service.hosts.isEmpty)
        #expect(service.addresses(.blue, zones: ["zone-a"]) == [HostPort(host: "127.0.0.1", port: 9100), HostPort(host: "127.0.0.1", port: 9101)])
        #expect(service.command(for: service.instances[0], version: "1")[2] == "127.0.0.1")
    }

    @Test func whatCannotBeAHostIsALocatedError() {
        let got = GateManifestTests.diagnostics(Self.topology(zones: """
          - name: zone-a
            hosts:
              - {address: 10.0.1.10, port: 0}
              - {user: deploy}
              - {address: "10.0.1.12;rm", sshUser: x}
              - {address: 10.0.1.13, supervisor: sysvinit}
          - {name: zone-b, hosts: [10.0.1.10]}
        """))
        #expect(got == [
            "inline.yaml:7:36: zones[0].hosts[0].port: must be at least 1, got 0",
            "inline.yaml:8:9: zones[0].hosts[1].address: is required; the host's IP address or DNS name",
            "inline.yaml:9:19: zones[0].hosts[2].address: must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \"10.0.1.12;rm\"",
            "inline.yaml:9:35: zones[0].hosts[2].sshUser: unknown key (known keys: address, user, port, identityFile, supervisor, labels)",
            "inline.yaml:10:42: zones[0].hosts[3].supervisor: expected one of auto, systemd, process, got \"sysvinit\"",
        ], "\(got)")
        let twice = GateManifestTests.diagnostics(Self.topology(zones: """
          - {name: zone-a, hosts: [10.0.1.10]}
          - {name: zone-b, hosts: [10.0.1.10]}
        """))
        #expect(twice == ["inline.yaml:6:28: zones[1].hosts[0]: host 10.0.1.10 is already listed in zone zone-a; a host stands in one zone, once"], "\(twice)")
    }

    /// `hostLabels` places a service on the hosts of its zones that carry the labels; a zone left without one is an
    /// error at the field.
    @Test func hostLabelsPlaceAServiceOnTheHostsThatCarryThem() throws {
        let zones = """
          - name: zone-a
            hosts:
              - {address: 10.0.1.10, labels: {role: gpu, rack: 12}}
              - {address: 10.0.1.11, labels: {role: cpu}}
              - {address: 10.0.1.12, labels: {role: gpu}}
          - {name: zone-b, hosts: [{address: 10.0.2.10, labels: {role: gpu}}, 10.0.2.11]}
        """
        let text = Self.topology(zones: zones).replacingOccurrences(of: "    capacityQPS: 100", with: "    capacityQPS: 100\n    hostLabels: {role: gpu}")
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        #expect(topology.zones[0].hosts[0].labels == ["role": "gpu", "rack": "12"])
        let service = topology.services[0]
        #expect(service.hostLabels == ["role": "gpu"])
        #expect(service.hosts.map(\.address) == ["10.0.1.10", "10.0.1.12", "10.0.2.10"])
        #expect(service.instances(slot: .blue).map { service.host(of: $0)?.address } == ["10.0.1.10", "10.0.1.12", "10.0.2.10", "10.0.2.10"])

        let none = Self.topology(zones: zones).replacingOccurrences(of: "    capacityQPS: 100", with: "    capacityQPS: 100\n    hostLabels: {role: tpu}")
        #expect(GateManifestTests.diagnostics(none) == [
            "inline.yaml:19:17: services[0].hostLabels: no host of zone zone-a carries role=tpu (its hosts: 10.0.1.10, 10.0.1.11, 10.0.1.12)",
            "inline.yaml:19:17: services[0].hostLabels: no host of zone zone-b carries role=tpu (its hosts: 10.0.2.10, 10.0.2.11)",
        ], "\(GateManifestTests.diagnostics(none))")
        let local = Self.topology(zones: "  [zone-a, zone-b]").replacingOccurrences(of: "    capacityQPS: 100", with: "    capacityQPS: 100\n    hostLabels: {role: gpu}")
        #expect(GateManifestTests.diagnostics(local) == ["inline.yaml:14:17: services[0].hostLabels: selects hosts, but none of the service's zones lists any"],
                "\(GateManifestTests.diagnostics(local))")
        let badName = Self.topology(zones: "  - {name: zone-a, hosts: [{address: 10.0.1.10, labels: {\"ro le\": gpu}}]}\n  - zone-b")
        #expect(GateManifestTests.diagnostics(badName).contains { $0.contains("a label name is at most 63 letters") }, "\(GateManifestTests.diagnostics(badName))")
    }
}
