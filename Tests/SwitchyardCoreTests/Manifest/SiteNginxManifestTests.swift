import Testing
@testable import SwitchyardCore

/// A site-managed nginx (`managed: false`): its files and nodes read as written, with the defaults of a Debian nginx;
/// what only a site nginx takes is a located error on the nginx Switchyard runs.
struct SiteNginxManifestTests {
    static func topology(_ balancer: String) -> String {
        """
        apiVersion: switchyard/v1
        kind: Topology
        name: site
        zones: [az-a, az-b]
        loadBalancers:
          - name: edge
            listen: 0.0.0.0:443
            previewListen: 0.0.0.0:8443
        \(balancer)
        services:
          - name: gateway
            zones: [az-a, az-b]
            replicasPerZone: 1
            loadBalancer: edge
            instance:
              command: gateway --port {port}
              ports: 9100
            capacityQPS: 10
        """
    }

    @Test func aSitePairResolvesEveryNodesFiles() throws {
        let text = Self.topology("""
            managed: false
            include: conf.d/switchyard-edge.conf
            pidFile: /var/run/nginx.pid
            reloadCommand: [sudo, systemctl, reload, nginx]
            virtualAddress: 10.20.0.10
            nodes:
              - {name: lb-a, zone: az-a, address: 10.20.1.11}
              - {name: lb-b, zone: az-b, address: 10.20.2.11, directory: /opt/nginx, pidFile: /opt/nginx/nginx.pid, reloadCommand: [/opt/nginx/reload]}
        """)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        let nodes = topology.loadBalancers[0].siteNodes
        #expect(nodes.map(\.include) == ["/etc/nginx/conf.d/switchyard-edge.conf", "/opt/nginx/conf.d/switchyard-edge.conf"])
        #expect(nodes.map(\.config) == ["/etc/nginx/nginx.conf", "/opt/nginx/nginx.conf"])
        #expect(nodes.map(\.pidFile) == ["/var/run/nginx.pid", "/opt/nginx/nginx.pid"])
        #expect(nodes.map(\.reloadCommand) == [["sudo", "systemctl", "reload", "nginx"], ["/opt/nginx/reload"]])
        #expect(nodes.map { $0.preview(topology.loadBalancers[0]) } == [HostPort(host: "10.20.1.11", port: 8443), HostPort(host: "10.20.2.11", port: 8443)])
    }

    @Test func aSiteNginxWithoutNodesIsThisMachineAtTheDebianDefaults() throws {
        let text = Self.topology("    managed: false")
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { Issue.record("no topology"); return }
        let nodes = topology.loadBalancers[0].siteNodes
        #expect(nodes.count == 1)
        #expect(nodes[0].isLocal)
        #expect(nodes[0].include == "/etc/nginx/switchyard/edge.conf")
        #expect(nodes[0].reloadCommand == ["nginx", "-c", "/etc/nginx/nginx.conf", "-s", "reload"])
    }

    @Test func whatOnlyASiteNginxTakesIsALocatedErrorOnSwitchyardsOwn() {
        let got = GateManifestTests.diagnostics(Self.topology("""
            include: switchyard.conf
            reloadCommand: [nginx, -s, reload]
            virtualAddress: 127.0.0.10
            nodes:
              - {name: lb-a, zone: az-a, address: 127.0.0.11, directory: /opt/nginx}
        """))
        #expect(got == [
            "inline.yaml:9:14: loadBalancers[0].include: applies to a site-managed nginx (managed: false); Switchyard writes the whole configuration of the nginx it runs",
            "inline.yaml:10:20: loadBalancers[0].reloadCommand: applies to a site-managed nginx (managed: false); Switchyard signals the nginx it runs itself",
            "inline.yaml:13:66: loadBalancers[0].nodes[0].directory: applies to a node of a site-managed nginx (managed: false)",
        ])
    }
}
