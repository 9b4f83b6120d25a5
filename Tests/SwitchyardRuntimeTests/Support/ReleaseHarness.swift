import SwitchyardTesting
import Foundation
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A whole local fleet for one test: a topology on its own ports, its own nginx prefix and state
/// file in a temporary folder, real gateway processes and a real nginx. `down()` stops everything.
struct ReleaseHarness {
    let folder: URL
    let topology: Topology
    var playbook: ReleasePlaybook
    let store: SQLiteStateStore
    let basePort: Int

    /// `basePort` .. `basePort + 11` are used: live, preview, then 8 instances (2 zones x 2 replicas x 2 slots).
    init(basePort: Int, bake: TimeSpan = .seconds(3), interval: TimeSpan = .seconds(1), gates: [GateDefinition]? = nil,
         preGates: [String] = ["ready", "smoke"], bakeGates: [String] = ["errors", "ttft"], maxFails: Int = 1) throws {
        setenv("SWITCHYARD_BIN_DIR", try GatewayProcess.binary().deletingLastPathComponent().path, 1)
        self.basePort = basePort
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-release-\(basePort)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: basePort),
                                    previewListen: HostPort(host: "127.0.0.1", port: basePort + 1), directory: folder.appendingPathComponent("nginx").path,
                                    drainTimeout: .minutes(2), maxFails: maxFails, failTimeout: .seconds(5))
        let service = Service(name: "gateway", zones: ["zone-a", "zone-b"], replicasPerZone: 2, loadBalancer: "edge",
                              instance: InstanceSpec(command: "yard-gateway --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance} --token-delay 20ms",
                                                     ports: PortRange(first: basePort + 4)),
                              drainTimeout: .seconds(20), capacityQPS: 100)
        topology = Topology(name: "test-\(basePort)", zones: [Zone(name: "zone-a"), Zone(name: "zone-b")], loadBalancers: [balancer], services: [service])
        let definitions = gates ?? [
            GateDefinition(name: "ready", probe: .http(HTTPCheck(path: "/readyz"))),
            GateDefinition(name: "smoke", probe: .sse(SSECheck(streams: 3, firstEventWithin: .seconds(1), timeout: .seconds(3))), consecutiveErrorLimit: 2),
            GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05)))),
            GateDefinition(name: "ttft", probe: .metric(MetricCheck(measure: .p99TimeToFirstToken, threshold: Threshold(max: 0.25)))),
        ]
        playbook = ReleasePlaybook(name: "release", topology: topology.name, service: "gateway", preGates: preGates,
                                   bake: .init(duration: bake, interval: interval, gates: bakeGates), gates: definitions, scaleDownDelay: .ms(0))
        store = try SQLiteStateStore(path: folder.appendingPathComponent("state.sqlite").path)
    }

    func context(environment: [String: String] = [:]) throws -> ReleaseContext {
        let driver = ProcessInstanceDriver(logDirectory: folder.appendingPathComponent("logs").path,
                                           readiness: ReadinessChecker(client: YardHTTPClient.shared), environment: environment)
        return try ReleaseContext(topology: topology, playbook: playbook, store: store, instances: driver, prober: GateProber(),
                                  workingDirectory: folder.path, actor: "test", deployTimeout: .seconds(20))
    }

    var listener: HostPort { topology.loadBalancers[0].listen }

    /// Load through the live listener: `rps` requests a second and `streams` streams of `streamTokens` x 100 ms.
    func load(rps: Double = 100, streams: Int = 50, streamTokens: Int = 40) -> LoadGenerator {
        var configuration = LoadConfiguration(target: "\(listener)")
        configuration.requestsPerSecond = rps
        configuration.streams = streams
        configuration.streamTokens = streamTokens
        configuration.streamTokenDelay = .ms(100)
        return LoadGenerator(configuration: configuration)
    }

    func up(_ version: String = "1.0.0") async throws {
        _ = try await Fleet(context: try context()).up(version: version)
    }

    func down() async {
        if let context = try? context() { await Fleet(context: context).down() }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` with the fleet up at 1.0.0 and always takes it down.
    static func with(basePort: Int, configure: (inout ReleaseHarness) -> Void = { _ in }, _ body: (ReleaseHarness) async throws -> Void) async throws {
        var harness = try ReleaseHarness(basePort: basePort)
        configure(&harness)
        do {
            try await harness.up()
            try await body(harness)
        } catch {
            await harness.down()
            throw error
        }
        await harness.down()
    }

    /// What the fleet's nginx routes now, read back from the listener's header.
    func routingHeader() async throws -> String? {
        let request = HTTPClientRequest(url: "http://\(listener)/healthz")
        let response = try await YardHTTPClient.shared.execute(request, timeout: .seconds(2))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.headers.first(name: "X-Yard-Routing")
    }
}

import AsyncHTTPClient
