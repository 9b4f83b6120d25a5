import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A site's own nginx on two nodes that are other hosts (`managed: false`, node addresses in the namespace lab): the
/// include is written, tested and reloaded on each node over SSH. The nodes' nginx masters run inside the hosts'
/// namespaces of two hosts of their own, in front of instances that run on four other hosts, also over SSH.
@Suite(.serialized, .enabled(if: NetnsLab.isAvailable, "needs root, iproute2 and openssh-server"))
struct SiteNginxSSHTests {
    @Test func aReleaseSwitchesNodesOnOtherHostsOverSSH() async throws {
        let port = 27700
        try await SSHFleet.with(basePort: port, extraHosts: 2, configure: { harness, lab in
            let old = harness.fleet.topology.loadBalancers[0]
            let folders = [0, 1].map { harness.folder.appendingPathComponent("site-\($0)").path }
            harness.fleet.topology.loadBalancers[0] = LoadBalancer(
                name: "edge", listen: HostPort(host: "0.0.0.0", port: port), previewListen: HostPort(host: "0.0.0.0", port: port + 1),
                directory: folders[0], managed: false, drainTimeout: old.drainTimeout, maxFails: old.maxFails, failTimeout: old.failTimeout,
                nodes: [0, 1].map { .init(name: "lb-\($0 + 1)", zone: $0 == 0 ? "zone-a" : "zone-b", address: lab.addresses[4 + $0],
                                          directory: folders[$0], pidFile: "\(folders[$0])/nginx.pid") },
                virtualAddress: lab.addresses[4])
        }, up: false) { fleet in
            let nodes = fleet.harness.topology.loadBalancers[0].nodes
            let listeners = nodes.map { HostPort(host: $0.address, port: port) }
            for (index, node) in nodes.enumerated() {
                let folder = try #require(node.directory)
                try SitePair.writeSite(folder, address: node.address, port: port)
                try await Self.nginx(in: 4 + index, folder, [])
            }
            try await fleet.harness.up()
            for (index, node) in nodes.enumerated() {
                try SitePair.writeLiveServer(node.directory!, address: node.address, port: port)
                try await Self.nginx(in: 4 + index, node.directory!, ["-s", "reload"])
            }
            try await Task.sleep(for: .milliseconds(300))
            for listener in listeners { #expect(try await SitePair.version(through: listener) == "1.0.0", "\(listener)") }

            let load = LoadGenerator(configuration: LoadConfiguration(target: "\(listeners[0])", requestsPerSecond: 40, streams: 6, streamTokens: 10))
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let summary = try await ReleaseRunner(context: fleet.harness.context()).release(version: "2.0.0")
            let report = await load.stop()
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            // Both nodes, on their hosts, carry the green slot's upstreams and serve 2.0.0.
            let green = fleet.service.addresses(.green, zones: ["zone-a", "zone-b"])
            for node in nodes {
                let text = try String(contentsOfFile: "\(node.directory!)/switchyard/edge.conf", encoding: .utf8)
                #expect(green.allSatisfy { text.contains("server \($0) ") }, "\(node.name): \(text)")
                #expect(text.contains("listen \(node.address):\(port + 1);"), "the preview server is on the node's own address")
            }
            for listener in listeners { #expect(try await SitePair.version(through: listener) == "2.0.0", "\(listener)") }
        }
    }

    @Test func aNodeWhoseHostCannotBeReachedStopsTheReleaseNamingIt() async throws {
        let port = 27750
        try await SSHFleet.with(basePort: port, extraHosts: 2, configure: { harness, lab in
            let old = harness.fleet.topology.loadBalancers[0]
            let folder = harness.folder.appendingPathComponent("site-0").path
            harness.fleet.topology.loadBalancers[0] = LoadBalancer(
                name: "edge", listen: HostPort(host: "0.0.0.0", port: port), previewListen: HostPort(host: "0.0.0.0", port: port + 1),
                directory: folder, managed: false, drainTimeout: old.drainTimeout,
                nodes: [.init(name: "lb-1", zone: "zone-a", address: lab.addresses[4], directory: folder, pidFile: "\(folder)/nginx.pid")])
        }, up: false) { fleet in
            let folder = try #require(fleet.harness.topology.loadBalancers[0].nodes[0].directory)
            try SitePair.writeSite(folder, address: fleet.lab.addresses[4], port: port)
            try await Self.nginx(in: 4, folder, [])
            fleet.lab.stopSSHD(4)
            let error = await #expect(throws: (any Error).self) { try await fleet.harness.up() }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("lb-1"), "\(text)")
            #expect(text.contains("cannot be reached over SSH"), "\(text)")
            // Nothing was started on the instance hosts.
            for id in fleet.service.instances { #expect(!TCPProbe.canConnect(fleet.service.connectAddress(of: id))) }
            try await fleet.lab.startSSHD(4)
        }
    }

    /// Starts (no arguments) or signals the nginx of the node in host `index`'s namespace.
    static func nginx(in index: Int, _ folder: String, _ arguments: [String]) async throws {
        let result = try await Command.run(["ip", "netns", "exec", NetnsLab.namespace(index), "nginx", "-p", folder, "-c", "\(folder)/nginx.conf"] + arguments)
        guard result.succeeded else { throw SitePair.Failure(description: "nginx \(arguments) on host \(index): \(result.output)") }
    }
}
