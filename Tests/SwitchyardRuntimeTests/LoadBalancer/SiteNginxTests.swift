import AsyncHTTPClient
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A site's own nginx on two nodes (`managed: false`): real nginx masters with configurations of the site's (the test's)
/// own, which include the one file Switchyard owns. Each node is an address of this machine (127.0.0.1, 127.0.0.2).
@Suite(.serialized)
struct SiteNginxTests {
    @Test func aReleaseSwitchesEveryNodeAndLeavesTheSiteConfigurationAlone() async throws {
        try await SitePair.with(basePort: 29000) { pair in
            let siteConfigs = try pair.nodes.map { try String(contentsOfFile: "\($0)/nginx.conf", encoding: .utf8) }
            let load = pair.fleet.load(rps: 20, streams: 4, streamTokens: 10)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let summary = try await ReleaseRunner(context: pair.fleet.context()).release(version: "2.0.0")
            let report = await load.stop()
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            // Both nodes carry the same upstreams, now the green slot's, and both serve 2.0.0.
            let includes = try pair.nodes.map { try String(contentsOfFile: "\($0)/switchyard/edge.conf", encoding: .utf8) }
            let green = pair.fleet.service.addresses(.green, zones: ["zone-a", "zone-b"])
            for text in includes { #expect(green.allSatisfy { text.contains("server \($0) ") }, "\(text)") }
            #expect(includes[0].replacingOccurrences(of: "127.0.0.1:29001", with: "X") == includes[1].replacingOccurrences(of: "127.0.0.2:29001", with: "X"))
            for listener in pair.listeners { #expect(try await SitePair.version(through: listener) == "2.0.0", "\(listener)") }
            // The site's own configuration was never written.
            #expect(try pair.nodes.map { try String(contentsOfFile: "\($0)/nginx.conf", encoding: .utf8) } == siteConfigs)
        }
    }

    @Test func aTestThatFailsOnOneNodeLeavesEveryNodeOnTheOldSlot() async throws {
        try await SitePair.with(basePort: 29020) { pair in
            let before = try pair.nodes.map { try String(contentsOfFile: "\($0)/switchyard/edge.conf", encoding: .utf8) }
            // The site breaks node 2's configuration (an edit of its own): `nginx -t` fails there, not on node 1.
            let broken = "\(pair.nodes[1])/site.d/broken.conf"
            try "server { listen 127.0.0.2:29099; location / { proxy_pass http://nowhere_upstream; } }\n".write(toFile: broken, atomically: true, encoding: .utf8)
            let summary = try await ReleaseRunner(context: pair.fleet.context()).release(version: "2.0.0")
            #expect(summary.outcome != .promoted)
            #expect(summary.reason.contains("node lb-2"), "\(summary.reason)")
            let after = try pair.nodes.map { try String(contentsOfFile: "\($0)/switchyard/edge.conf", encoding: .utf8) }
            #expect(after[0] == before[0], "node 1 is back on its old file")
            #expect(after[1] == before[1])
            try FileManager.default.removeItem(atPath: broken)
            for listener in pair.listeners { #expect(try await SitePair.version(through: listener) == "1.0.0", "\(listener)") }
            let routing = try #require(try await pair.fleet.store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .blue, "zone-b": .blue])
        }
    }

    @Test func aNodeWhoseNginxIsDownStopsTheReleaseNamingIt() async throws {
        try await SitePair.with(basePort: 29040) { pair in
            try await pair.stopNode(1)
            // Twice: the first refusal gives its locks back, so the second is refused for the same reason.
            for _ in 0..<2 {
                let error = await #expect(throws: (any Error).self) { try await ReleaseRunner(context: pair.fleet.context()).release(version: "2.0.0") }
                #expect("\(error.map { "\($0)" } ?? "")".contains("node lb-2"), "\(String(describing: error))")
                #expect("\(error.map { "\($0)" } ?? "")".contains("is not running"), "\(String(describing: error))")
            }
            // Nothing was deployed in the idle slot.
            #expect(try await pair.fleet.store.liveInstances(service: "gateway", slot: .green).isEmpty)
        }
    }

    @Test func theIncludeRendersOnlyUpstreamsAndThePreviewServer() throws {
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "0.0.0.0", port: 443), previewListen: HostPort(host: "0.0.0.0", port: 8443),
                                    directory: "/etc/nginx", managed: false,
                                    nodes: [.init(name: "lb-a1", zone: "az-a", address: "10.20.1.11"), .init(name: "lb-a2", zone: "az-a", address: "10.20.1.12")])
        let nodes = balancer.siteNodes
        #expect(nodes.map(\.include) == ["/etc/nginx/switchyard/edge.conf", "/etc/nginx/switchyard/edge.conf"])
        #expect(nodes[0].reloadCommand == ["nginx", "-c", "/etc/nginx/nginx.conf", "-s", "reload"])
        #expect(nodes[0].pidFile == "/run/nginx.pid")
        #expect(!nodes[0].isLocal)
        let config = NginxConfig(balancer: balancer, service: "gateway", live: [HostPort(host: "10.20.1.21", port: 9100)], preview: [],
                                 prefix: "/etc/nginx", routingLabel: "az-a=blue")
        let text = try config.renderInclude(preview: nodes[1].preview(balancer))
        #expect(text.contains("upstream gateway_live {"))
        #expect(text.contains("listen 10.20.1.12:8443;"))
        #expect(!text.contains("listen 0.0.0.0:443"), "the live server is the site's")
        #expect(!text.contains("pid ") && !text.contains("events") && !text.contains("http {"))
    }
}

/// Two site nginx nodes in front of a scratch fleet whose load balancer is `managed: false`, set up the way
/// docs/fleet.md tells a site to: the include line first, `yard up` (Fleet.up) writes the include, then the site's
/// own server that proxies to `gateway_live`.
struct SitePair {
    var fleet: ScratchFleet
    var nodes: [String]
    var listeners: [HostPort]

    static func with(basePort: Int, _ body: (SitePair) async throws -> Void) async throws {
        var fleet = try ScratchFleet(basePort: basePort)
        let nodes = [1, 2].map { fleet.folder.appendingPathComponent("site-\($0)").path }
        let addresses = ["127.0.0.1", "127.0.0.2"]
        let old = fleet.topology.loadBalancers[0]
        fleet.topology.loadBalancers[0] = LoadBalancer(
            name: "edge", listen: old.listen, previewListen: old.previewListen, directory: nodes[0], managed: false,
            drainTimeout: old.drainTimeout, maxFails: old.maxFails, failTimeout: old.failTimeout,
            nodes: zip(nodes, addresses).enumerated().map { index, node in
                .init(name: "lb-\(index + 1)", zone: index == 0 ? "zone-a" : "zone-b", address: node.1, directory: node.0, pidFile: "\(node.0)/nginx.pid")
            },
            virtualAddress: addresses[0])
        let pair = SitePair(fleet: fleet, nodes: nodes, listeners: addresses.map { HostPort(host: $0, port: basePort) })
        do {
            for (folder, address) in zip(nodes, addresses) { try Self.writeSite(folder, address: address, port: basePort) }
            for folder in nodes { try await pair.nginx(folder, []) }
            try await fleet.up("1.0.0")
            for (folder, address) in zip(nodes, addresses) {
                try Self.writeLiveServer(folder, address: address, port: basePort)
                try await pair.nginx(folder, ["-s", "reload"])
            }
            try await Task.sleep(for: .milliseconds(300))
            try await body(pair)
        } catch {
            await pair.down()
            throw error
        }
        await pair.down()
    }

    /// The site's own live server, proxying to the upstream Switchyard's include defines.
    static func writeLiveServer(_ folder: String, address: String, port: Int) throws {
        try "server {\n    listen \(address):\(port);\n    location / {\n        proxy_pass http://gateway_live;\n        proxy_http_version 1.1;\n        proxy_set_header Connection \"\";\n        proxy_buffering off;\n        proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n    }\n}\n"
            .write(toFile: "\(folder)/site.d/live.conf", atomically: true, encoding: .utf8)
    }

    /// The site's nginx.conf: its own pid, logs and temp folders, Switchyard's include line, and its own servers in site.d/.
    static func writeSite(_ folder: String, address: String, port: Int) throws {
        for sub in ["", "/switchyard", "/site.d", "/temp"] { try FileManager.default.createDirectory(atPath: folder + sub, withIntermediateDirectories: true) }
        chmod("\(folder)/temp", 0o777)
        try """
        worker_processes 1;
        pid \(folder)/nginx.pid;
        error_log \(folder)/error.log warn;
        events { worker_connections 512; }
        http {
            access_log off;
            keepalive_timeout 0;
            client_body_temp_path \(folder)/temp/body;
            proxy_temp_path \(folder)/temp/proxy;
            fastcgi_temp_path \(folder)/temp/fastcgi;
            uwsgi_temp_path \(folder)/temp/uwsgi;
            scgi_temp_path \(folder)/temp/scgi;
            include \(folder)/switchyard/*.conf;
            include \(folder)/site.d/*.conf;
        }

        """.write(toFile: "\(folder)/nginx.conf", atomically: true, encoding: .utf8)
    }

    /// Starts the node's nginx (no arguments) or signals it. A start is not run through a pipe: the daemonised master
    /// would inherit it and keep it open.
    func nginx(_ folder: String, _ arguments: [String]) async throws {
        let command = ["nginx", "-p", folder, "-c", "\(folder)/nginx.conf"] + arguments
        if arguments.isEmpty {
            let log = "\(folder)/start.log"
            let status = await Spawner.waitForExit(try Spawner.spawn(command, logPath: log), timeout: .seconds(10))
            guard status == 0 else { throw Failure(description: "nginx did not start in \(folder): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
            return
        }
        let result = try await Command.run(command)
        guard result.succeeded else { throw Failure(description: "nginx \(arguments) in \(folder): \(result.output)") }
    }

    func stopNode(_ index: Int) async throws {
        try await nginx(nodes[index], ["-s", "stop"])
        for _ in 0..<100 where FileManager.default.fileExists(atPath: "\(nodes[index])/nginx.pid") { try await Task.sleep(for: .milliseconds(20)) }
    }

    func down() async {
        for folder in nodes {
            if let text = try? String(contentsOfFile: "\(folder)/nginx.pid", encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
        }
        await fleet.forceDown()
    }

    static func version(through listener: HostPort) async throws -> String? {
        let response = try await YardHTTPClient.shared.execute(HTTPClientRequest(url: "http://\(listener)/healthz"), timeout: .seconds(2))
        return response.headers.first(name: "X-Yard-Version")
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}
