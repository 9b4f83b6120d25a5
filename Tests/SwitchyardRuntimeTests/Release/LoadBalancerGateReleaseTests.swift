import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Releases judged only by what nginx saw (`source: loadBalancer`): a gateway Switchyard did not write,
/// whose metrics the gates never read.
@Suite(.serialized)
struct LoadBalancerGateReleaseTests {
    static func bakeMeasurements(_ log: UpdateLog) -> [String] {
        log.all.compactMap { entry -> String? in
            guard case .measured(let gate, let measurement, _, let stage) = entry.1, stage == "bake" else { return nil }
            return "\(gate): \(measurement)"
        }
    }

    @Test func aGoodVersionIsPromotedOnTheLoadBalancersFigures() async throws {
        try await PlainGatewayFleet.with(basePort: 33800, gates: PlainGatewayFleet.loadBalancerGates) { fleet in
            let load = fleet.load(rps: 20, streams: 2, streamTokens: 8)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let log = UpdateLog()
            let summary = try await ReleaseRunner(context: fleet.context(), onUpdate: { log.append($0) }).release(version: "2.0.0")
            let report = await load.stop()
            let measured = Self.bakeMeasurements(log)
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            // Real figures over the requests nginx logged, for every gate, every second of the bake.
            #expect(measured.count >= 9, "\(measured)")
            #expect(measured.allSatisfy { $0.contains(": pass: ") && $0.contains("seen by the load balancer") }, "\(measured)")
            #expect(measured.contains { $0.hasPrefix("lb-errors: pass: error-rate 0") && $0.contains("users saw 0") }, "\(measured)")
            #expect(report.sighting(slot: "green")?.version == "2.0.0")
        }
    }

    @Test func aVersionWithTwentyPercentServerErrorsIsRolledBackByTheLoadBalancersFigures() async throws {
        try await PlainGatewayFleet.with(basePort: 33850, gates: PlainGatewayFleet.loadBalancerGates) { fleet in
            let load = fleet.load(rps: 20, streams: 0, streamTokens: 8)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let summary = try await ReleaseRunner(context: fleet.context(environment: ["PLAIN_ERROR_RATE": "0.2"])).release(version: "2.0.0-errors")
            _ = await load.stop()
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.hasPrefix("bake gate failed: lb-errors: error-rate "), "\(summary.reason)")
            #expect(summary.reason.contains("seen by the load balancer"), "\(summary.reason)")
            let routing = try #require(try await fleet.store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .blue, "zone-b": .blue])
        }
    }
}
