import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Releases of a gateway Switchyard did not write, judged by metric gates that read its own names.
@Suite(.serialized)
struct ForeignGatewayReleaseTests {
    @Test func aGoodVersionIsPromotedOnItsOwnMetricNames() async throws {
        try await PlainGatewayFleet.with(basePort: 33100) { fleet in
            let load = fleet.load(rps: 20, streams: 2, streamTokens: 8)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let log = UpdateLog()
            let summary = try await ReleaseRunner(context: fleet.context(), onUpdate: { log.append($0) }).release(version: "2.0.0")
            let report = await load.stop()
            let measured = log.all.compactMap { entry -> String? in
                guard case .measured(let gate, let measurement, _, let stage) = entry.1, stage == "bake" else { return nil }
                return "\(gate): \(measurement)"
            }
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            // Every bake sample was a real figure over real requests, not "no data".
            #expect(!measured.isEmpty)
            #expect(measured.allSatisfy { $0.hasPrefix("errors: pass") || $0.hasPrefix("latency: pass") }, "\(measured)")
            #expect(report.sighting(slot: "green")?.version == "2.0.0")
        }
    }

    @Test func aVersionWithTwentyPercentServerErrorsIsRolledBack() async throws {
        try await PlainGatewayFleet.with(basePort: 33200) { fleet in
            let load = fleet.load(rps: 20, streams: 0, streamTokens: 8)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let summary = try await ReleaseRunner(context: fleet.context(environment: ["PLAIN_ERROR_RATE": "0.2"])).release(version: "2.0.0-errors")
            _ = await load.stop()
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.hasPrefix("bake gate failed: errors: error-rate "), "\(summary.reason)")
            #expect(summary.switchMilliseconds != nil)
            let routing = try #require(try await fleet.store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .blue, "zone-b": .blue])
        }
    }

    @Test func namesTheGatewayDoesNotExposeStopTheReleaseBeforeTrafficMoves() async throws {
        try await PlainGatewayFleet.with(basePort: 33300, names: GatewayMetricNames(preset: .gin)) { fleet in
            let summary = try await ReleaseRunner(context: fleet.context()).release(version: "2.0.0")
            #expect(summary.outcome == .rolledBack)
            #expect(summary.switchMilliseconds == nil)
            let first = fleet.service.addresses(.green, zones: ["zone-a"])[0]
            #expect(summary.reason.contains("gate errors, latency: no series gin_requests_total; no series gin_request_duration_seconds_bucket on \(first); it exposes: http_request_duration_seconds, http_requests_total, process_start_time_seconds"), "\(summary.reason)")
        }
    }
}
