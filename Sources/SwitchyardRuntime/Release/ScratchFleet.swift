import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// A whole fleet on its own loopback ports and temporary folder, for tests and benchmarks: a topology
/// of one service (2 zones x 2 replicas x 2 slots of real `yard-gateway` processes), a real nginx in
/// front, a state file, and a release playbook with ready/smoke gates before the switch and error-rate
/// and p99 time-to-first-token gates in the bake (`command` runs another gateway, whose `metricNames` say how it
/// names its metrics). `forceDown()` kills everything it started.
public struct ScratchFleet: Sendable {
    public let folder: URL
    public var topology: Topology
    public var playbook: ReleasePlaybook
    public let store: SQLiteStateStore

    /// `basePort` .. `basePort + 11`: live, preview, then 8 instances.
    public init(basePort: Int, root: URL = FileManager.default.temporaryDirectory, bake: TimeSpan = .seconds(3), interval: TimeSpan = .seconds(1),
                scaleDownDelay: TimeSpan = .ms(0), ttftGate: TimeSpan = .ms(250), smokeTimeout: TimeSpan = .seconds(3),
                drainTimeout: TimeSpan = .seconds(30), maxFails: Int = 1, passiveHealth: Bool = true,
                command: String? = nil, metricNames: GatewayMetricNames = GatewayMetricNames()) throws {
        folder = root.appendingPathComponent("fleet-\(basePort)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: basePort),
                                    previewListen: HostPort(host: "127.0.0.1", port: basePort + 1),
                                    directory: folder.appendingPathComponent("nginx").path,
                                    drainTimeout: .minutes(2), maxFails: maxFails, failTimeout: .seconds(5), passiveHealth: passiveHealth)
        let service = Service(name: "gateway", zones: ["zone-a", "zone-b"], replicasPerZone: 2, loadBalancer: "edge",
                              instance: InstanceSpec(command: command ?? "yard-gateway --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance} --token-delay 20ms",
                                                     ports: PortRange(first: basePort + 4)),
                              drainTimeout: drainTimeout, capacityQPS: 100, metricNames: metricNames)
        topology = Topology(name: "bench-\(basePort)", zones: [Zone(name: "zone-a"), Zone(name: "zone-b")], loadBalancers: [balancer], services: [service])
        let gates = [
            GateDefinition(name: "ready", probe: .http(HTTPCheck(path: "/readyz"))),
            GateDefinition(name: "smoke", probe: .sse(SSECheck(streams: 3, firstEventWithin: .seconds(1), timeout: smokeTimeout)), consecutiveErrorLimit: 2),
            GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05)))),
            GateDefinition(name: "ttft", probe: .metric(MetricCheck(measure: .p99TimeToFirstToken, threshold: Threshold(max: ttftGate.seconds)))),
        ]
        playbook = ReleasePlaybook(name: "bench", topology: topology.name, service: "gateway", preGates: ["ready", "smoke"],
                                   bake: .init(duration: bake, interval: interval, gates: ["errors", "ttft"]), gates: gates,
                                   scaleDownDelay: scaleDownDelay)
        store = try SQLiteStateStore(path: folder.appendingPathComponent("state.sqlite").path)
    }

    public var service: Service { topology.services[0] }
    public var listener: HostPort { topology.loadBalancers[0].listen }

    public func context(environment: [String: String] = [:]) throws -> ReleaseContext {
        try ReleaseContext.processes(topology: topology, playbook: playbook, store: store, workingDirectory: folder.path,
                                     logDirectory: folder.appendingPathComponent("logs").path, actor: "scratch", environment: environment)
    }

    public func up(_ version: String) async throws {
        _ = try await Fleet(context: try context()).up(version: version)
    }

    /// Every pid of this fleet's gateways, both slots.
    public func gatewayPIDs() -> [Int32] {
        ProcessInstanceDriver.find(service, service.instances).values.flatMap { $0.map(\.pid) }
    }

    /// SIGKILL to every gateway of the fleet and SIGTERM to its nginx (SIGKILL if it lingers); removes the folder.
    public func forceDown() async {
        let killed = gatewayPIDs()
        for pid in killed { kill(pid, SIGKILL) }
        if let context = try? context() { await context.nginx.stop(graceful: false, timeout: .seconds(3)) }
        // Reap what we can and wait until the processes are really gone.
        let clock = ContinuousClock()
        let start = clock.now
        while !gatewayPIDs().isEmpty, clock.now - start < .seconds(5) {
            for pid in gatewayPIDs() { kill(pid, SIGKILL) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Reap the killed gateways (our children) so that none lingers as a zombie while the run goes on. Only these
        // pids: `waitpid(-1)` would also take children that others are waiting on.
        var status: Int32 = 0
        for pid in killed { _ = waitpid(pid, &status, WNOHANG) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The load every variant runs: `rps` non-stream requests a second and `streams` SSE streams of
    /// `streamTokens` tokens, one every 100 ms, through the live listener.
    public func load(rps: Double, streams: Int, streamTokens: Int) -> LoadGenerator {
        LoadGenerator(configuration: LoadConfiguration(target: "\(listener)", requestsPerSecond: rps, streams: streams, streamTokens: streamTokens))
    }
}
