import SwitchyardTesting
import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Prometheus gates against a small real HTTP server answering like the Prometheus HTTP API.
@Suite(.timeLimit(.minutes(1)))
struct PrometheusProbeTests {
    static func gate(_ url: String, _ query: String, max: Double = 0.05, timeout: TimeSpan = .seconds(2)) -> GateDefinition {
        GateDefinition(name: "p", probe: .prometheus(PrometheusCheck(url: url, query: query, threshold: Threshold(max: max), timeout: timeout)))
    }

    static let target = ProbeTarget(listener: HostPort(host: "127.0.0.1", port: 1), instances: [])

    @Test func judgesVectorsScalarsAndEmptyResults() async throws {
        try await FakePrometheus.with { url in
            let prober = GateProber()
            let pass = await prober.measure(Self.gate(url, "0.01"), target: Self.target)
            #expect(pass.phase == .pass && pass.value == 0.01, "\(pass)")
            let fail = await prober.measure(Self.gate(url, "0.2"), target: Self.target)
            #expect(fail.phase == .fail && fail.value == 0.2, "\(fail)")
            let scalar = await prober.measure(Self.gate(url, "scalar(0.25)", max: 1), target: Self.target)
            #expect(scalar.phase == .pass && scalar.value == 0.25, "\(scalar)")
            let plus = await prober.measure(Self.gate(url, "1 + 0.5", max: 2), target: Self.target)
            #expect(plus.value == 1.5, "the '+' must arrive as '+', not a space: \(plus)")
            let empty = await prober.measure(Self.gate(url, "empty"), target: Self.target)
            #expect(empty.phase == .inconclusive, "\(empty)")
        }
    }

    @Test func aQueryWithSemicolonsAndAmpersandsArrivesWhole() async throws {
        try await FakePrometheus.with { url in
            let measurement = await GateProber().measure(Self.gate(url, #"sum(rate(x{a="1;2",b=~"c&d"}[1m]))"#), target: Self.target)
            #expect(measurement.phase == .pass && measurement.value == 0.03, "\(measurement)")
        }
    }

    @Test func nanIsSaidAsNaNInfinityFailsAndAnEmptyResultFollowsOnEmpty() async throws {
        try await FakePrometheus.with { url in
            let prober = GateProber()
            let nan = await prober.measure(Self.gate(url, "NaN"), target: Self.target)
            #expect(nan.phase == .inconclusive && nan.message.contains("NaN"), "\(nan)")
            let inf = await prober.measure(Self.gate(url, "+Inf", max: 1e9), target: Self.target)
            #expect(inf.phase == .fail && inf.message.contains("+Inf"), "\(inf)")
            let healthy = GateDefinition(name: "p", probe: .prometheus(PrometheusCheck(url: url, query: "empty", threshold: Threshold(max: 0.05), onEmpty: .pass)))
            #expect(await prober.measure(healthy, target: Self.target).phase == .pass)
        }
    }

    @Test(arguments: [
        ("bad(", "bad_data"),
        ("garbage", "not JSON"),
        ("many", "2 series"),
    ])
    func answersThatCannotBeJudgedAreErrors(query: String, reason: String) async throws {
        try await FakePrometheus.with { url in
            let measurement = await GateProber().measure(Self.gate(url, query), target: Self.target)
            #expect(measurement.phase == .error, "\(measurement)")
            #expect(measurement.message.contains(reason), "\(measurement)")
        }
    }

    @Test func aSlowServerIsAnError() async throws {
        try await FakePrometheus.with { url in
            let measurement = await GateProber().measure(Self.gate(url, "slow", timeout: .ms(300)), target: Self.target)
            #expect(measurement.phase == .error, "\(measurement)")
            #expect(measurement.message.contains("300ms"))
        }
    }

    @Test func aClosedPortIsAnError() async {
        let measurement = await GateProber().measure(Self.gate("http://\(closedPort())", "up"), target: Self.target)
        #expect(measurement.phase == .error, "\(measurement)")
    }
}
