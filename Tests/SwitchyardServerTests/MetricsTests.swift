import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// `GET /metrics`: Prometheus text, no token, one registry per daemon.
@Suite(.serialized) struct MetricsTests {
    /// The value of the first sample whose line starts with `series` (name and labels, as exposed).
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func requestLatencyIsRecordedByRoutePatternAndStatusWithoutAToken() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }) { yardd in
            #expect(try await yardd.get("/v1/releases/rel-1", as: .role(.viewer)).status == 200)
            #expect(try await yardd.get("/v1/releases/rel-1", as: .role(.viewer)).status == 200)
            #expect(try await yardd.get("/v1/releases/rel-missing", as: .role(.viewer)).status == 404)
            #expect(try await yardd.get("/v1/releases/rel-1", as: .none).status == 401)
            #expect(try await yardd.get("/v1/no-such-route").status == 404)

            let text = try await yardd.text("/metrics")
            let route = #"route="/v1/releases/{id}""#
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="200"}"#) == 2, "\(text)")
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="404"}"#) == 1)
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="401"}"#) == 1)
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{route="unmatched",method="GET",status="404"}"#) == 1, "\(text.split(separator: "\n").filter { $0.contains("_count") })")
            #expect(text.contains(#"yardd_http_request_duration_seconds_bucket{\#(route),method="GET",status="200",le="0.005"}"#))
            #expect(!text.contains("rel-1"), "raw paths never become label values")
            #expect(text.contains("# TYPE yardd_http_request_duration_seconds histogram"))
        }
    }

    @Test func releasesRunningIsAGaugeOfTheReleasesThisDaemonDrives() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-resumed") }) { yardd in
            let text = try await yardd.text("/metrics")
            #expect(Self.sample(text, "yardd_releases_running") == 1, "\(text)")
            #expect(text.contains("# TYPE yardd_releases_running gauge"))
        }
    }

    @Test func eachDaemonCountsOnlyItsOwn() async throws {
        try await DaemonHarness.with { first in
            try await DaemonHarness.with { second in
                for _ in 0..<3 { _ = try await first.get("/v1/topologies") }
                let series = #"yardd_http_request_duration_seconds_count{route="/v1/topologies",method="GET",status="200"}"#
                #expect(Self.sample(try await first.text("/metrics"), series) == 3)
                #expect(Self.sample(try await second.text("/metrics"), series) == nil)
            }
        }
    }

    @Test func releaseOutcomesAndGateVerdictsAreCounted() {
        let metrics = DaemonMetrics()
        metrics.releaseFinished(outcome: "promoted")
        metrics.releaseFinished(outcome: "promoted")
        metrics.releaseFinished(outcome: "rolled-back")
        metrics.gateSettled(gate: "error-rate", verdict: "failed")
        metrics.gateMeasured(gate: "error-rate", result: "fail")
        let text = metrics.exposition()
        #expect(Self.sample(text, #"yardd_releases_finished_total{outcome="promoted"}"#) == 2, "\(text)")
        #expect(Self.sample(text, #"yardd_releases_finished_total{outcome="rolled-back"}"#) == 1)
        #expect(Self.sample(text, #"yardd_gate_verdicts_total{gate="error-rate",verdict="failed"}"#) == 1)
        #expect(Self.sample(text, #"yardd_gate_measurements_total{gate="error-rate",result="fail"}"#) == 1)
    }

    @Test func aGateVerdictIsCountedOnceWhenItSettles() {
        let gates = SettledGates()
        #expect(gates.settle("p99", .pending) == nil)
        #expect(gates.settle("p99", .passed) == "passed")
        #expect(gates.settle("p99", .passed) == nil, "later measurements of a passed gate are not new verdicts")
        #expect(gates.settle("p99", .failed(reason: "p99 210 ms > 150 ms")) == "failed")
        #expect(gates.settle("error-rate", .failed(reason: "x")) == "failed")
    }
}
