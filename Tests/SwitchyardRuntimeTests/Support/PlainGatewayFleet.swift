import Foundation
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A fleet of a gateway Switchyard did not write: `Fixtures/plain_gateway.py` (stdlib Python, the usual
/// Prometheus names `http_requests_total{route,status}` and `http_request_duration_seconds`) started as
/// the topology's instance command, behind a real nginx. The service maps its metric names from the
/// `prometheus` preset; the playbook's bake gates read them.
enum PlainGatewayFleet {
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/plain_gateway.py").path
    }

    static let command = "python3 \(script) --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance}"

    static let names = GatewayMetricNames(preset: .prometheus).filtered(label: "route", value: "/v1/chat/completions")

    static let bakeGates = [
        GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05)))),
        GateDefinition(name: "latency", probe: .metric(MetricCheck(measure: .p99Latency, threshold: Threshold(max: 1)))),
    ]

    /// The same figures measured from nginx's access log: nothing read from the gateway.
    static let loadBalancerGates = [
        GateDefinition(name: "lb-errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05), source: .loadBalancer))),
        GateDefinition(name: "lb-ttfb", probe: .metric(MetricCheck(measure: .p99TimeToFirstByte, threshold: Threshold(max: 0.5),
                                                                   maxIncreaseOverBaseline: 0.25, source: .loadBalancer, path: "/v1/"))),
        GateDefinition(name: "lb-latency", probe: .metric(MetricCheck(measure: .p99Latency, threshold: Threshold(max: 2), source: .loadBalancer))),
    ]

    /// A fleet on `basePort`…`basePort + 11`, bake `bake` sampled every second, metric names `names`.
    static func fleet(basePort: Int, names: GatewayMetricNames = PlainGatewayFleet.names, bake: TimeSpan = .seconds(4),
                      gates: [GateDefinition] = PlainGatewayFleet.bakeGates) throws -> ScratchFleet {
        var fleet = try ScratchFleet(basePort: basePort, bake: bake, interval: .seconds(1), drainTimeout: .seconds(5),
                                     command: command, metricNames: names)
        let pre = fleet.playbook.gates.filter { $0.name == "ready" || $0.name == "smoke" }
        fleet.playbook.gates = pre + gates
        fleet.playbook.bake.gates = gates.map(\.name)
        return fleet
    }

    /// Runs `body` with the fleet up at 1.0.0 and always takes it down.
    static func with(basePort: Int, names: GatewayMetricNames = PlainGatewayFleet.names, gates: [GateDefinition] = PlainGatewayFleet.bakeGates,
                     _ body: (ScratchFleet) async throws -> Void) async throws {
        let fleet = try fleet(basePort: basePort, names: names, gates: gates)
        do {
            try await fleet.up("1.0.0")
            try await body(fleet)
        } catch {
            await down(fleet)
            throw error
        }
        await down(fleet)
    }

    static func down(_ fleet: ScratchFleet) async {
        if let context = try? fleet.context() { await Fleet(context: context).down() }
        await fleet.forceDown()
    }
}
