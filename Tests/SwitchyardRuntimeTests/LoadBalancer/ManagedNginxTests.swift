import Foundation
import Testing
import SwitchyardTesting
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// The nginx driver against a real nginx and real gateways.
@Suite(.serialized)
struct ManagedNginxTests {
    static func balancer(_ folder: URL, port: Int) -> LoadBalancer {
        LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: port), previewListen: HostPort(host: "127.0.0.1", port: port + 1),
                     directory: folder.path, drainTimeout: .minutes(1))
    }

    static func config(_ balancer: LoadBalancer, _ driver: ManagedNginx, live: [HostPort], label: String) async -> NginxConfig {
        NginxConfig(balancer: balancer, service: "gateway", live: live, preview: [], prefix: await driver.prefix, routingLabel: label)
    }

    @Test func aReloadIsConfirmedAndOldGenerationsDrainTheirStreams() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-nginx-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let balancer = Self.balancer(folder, port: 22100)
        let driver = ManagedNginx(balancer: balancer)
        try await GatewayProcess.with(["--slot", "blue"]) { blue in
            try await GatewayProcess.with(["--slot", "green"]) { green in
                try await driver.start(await Self.config(balancer, driver, live: [blue.address], label: "blue"))
                defer { Task { await driver.stop() } }
                // A stream of 30 tokens x 100 ms (3 s) through the blue generation.
                let load = LoadGenerator(configuration: LoadConfiguration(target: "\(balancer.listen)", requestsPerSecond: 0, streams: 1, streamTokens: 30))
                load.start()
                try await Task.sleep(for: .milliseconds(500))
                let first = try await driver.apply(await Self.config(balancer, driver, live: [green.address], label: "green"))
                #expect(first.complete < .seconds(2))
                #expect(first.draining >= 1, "the old generation keeps the open stream")
                let second = try await driver.apply(await Self.config(balancer, driver, live: [green.address], label: "green-again"))
                #expect(second.draining >= 1)
                let report = await load.stop()
                #expect(report.streams.cut == 0, "\(report.streams)")
                await driver.stop()
            }
        }
    }

    @Test func aConfigurationNginxRejectsLeavesTheOldOneServing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-nginx-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let balancer = Self.balancer(folder, port: 22120)
        let driver = ManagedNginx(balancer: balancer)
        try await GatewayProcess.with(["--slot", "blue"]) { blue in
            try await driver.start(await Self.config(balancer, driver, live: [blue.address], label: "blue"))
            // A label with a quote breaks the add_header line: nginx -t must refuse it.
            await #expect(throws: ManagedNginx.Failure.self) {
                try await driver.apply(await Self.config(balancer, driver, live: [blue.address], label: "bad\";"))
            }
            let request = HTTPClientRequest(url: "http://\(balancer.listen)/healthz")
            let response = try await YardHTTPClient.shared.execute(request, timeout: .seconds(2))
            #expect(response.headers.first(name: "X-Yard-Routing") == "blue")
            await driver.stop()
        }
    }

    @Test func aRoutingWithNoInstanceIsNeverRendered() {
        let balancer = Self.balancer(URL(fileURLWithPath: "/tmp/x"), port: 22140)
        let config = NginxConfig(balancer: balancer, service: "gateway", live: [], preview: [], prefix: "/tmp/x", routingLabel: "none")
        #expect(throws: NginxConfig.RenderError.noLiveInstance("gateway")) { try config.render() }
    }
}

import AsyncHTTPClient
