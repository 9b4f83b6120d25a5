import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Real releases through a real nginx, real gateway processes and real SSE traffic on loopback.
@Suite(.serialized)
struct ReleaseEndToEndTests {
    @Test func aGoodReleaseIsPromotedWithoutOneFailedRequestOrCutStream() async throws {
        try await ReleaseHarness.with(basePort: 21100) { harness in
            // 100 requests/s and 50 streams of 4 s each, spanning the switch and the 3 s bake.
            let load = harness.load(rps: 100, streams: 50, streamTokens: 40)
            load.start()
            try await Task.sleep(for: .seconds(1))
            let summary = try await ReleaseRunner(context: harness.context()).release(version: "2.0.0")
            try await Task.sleep(for: .seconds(1))
            let report = await load.stop()
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            #expect(report.streams.completed >= 50)
            #expect(report.sighting(slot: "green")?.version == "2.0.0")
            #expect(try await harness.routingHeader() == "zone-a=green,zone-b=green")
            // The switch completes within nginx's floor plus our margin.
            #expect((summary.switchMilliseconds ?? 1e9) < 1000)
            let routing = try #require(try await harness.store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .green, "zone-b": .green])
            #expect(routing.liveVersion == "2.0.0")
            // The old slot is gone after the scale-down.
            #expect(try await harness.context().instances.running(harness.topology.services[0], slot: .blue).isEmpty)
        }
    }

    @Test func aSlowFirstTokenAfterTheSwitchRollsBackAndTrafficReturns() async throws {
        try await ReleaseHarness.with(basePort: 21200) { harness in
            let load = harness.load(rps: 50, streams: 10, streamTokens: 20)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            // 400 ms before the first token passes the smoke gate (1 s bound) but fails the bake's p99 TTFT (250 ms).
            let context = try harness.context(environment: ["YARD_FAULT_FIRST_TOKEN_LATENCY": "400ms"])
            let summary = try await ReleaseRunner(context: context).release(version: "2.0.0-slow")
            let report = await load.stop()
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.contains("ttft"), "\(summary.reason)")
            #expect((summary.rollbackMilliseconds ?? 1e9) < 1000, "rollback took \(summary.rollbackMilliseconds ?? -1) ms")
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            #expect(try await harness.context().instances.running(harness.topology.services[0], slot: .green).isEmpty)
            let routing = try #require(try await harness.store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .blue, "zone-b": .blue])
        }
    }

    @Test func aVersionThatNeverGetsReadyNeverMovesTraffic() async throws {
        try await ReleaseHarness.with(basePort: 21300) { harness in
            var harness = harness
            harness.playbook = harness.playbook
            var context = try harness.context(environment: ["YARD_FAULT_NEVER_READY": "1"])
            context.deployTimeout = .seconds(2)
            let summary = try await ReleaseRunner(context: context).release(version: "2.0.0-broken")
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.contains("deploy failed"), "\(summary.reason)")
            #expect(summary.switchMilliseconds == nil)
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
            let journal = try await harness.store.journal(release: summary.id)
            #expect(!journal.contains { $0.message.hasPrefix("route ") })
        }
    }

    @Test func aServerErrorRateFailsThePreviewSmokeGateBeforeTheSwitch() async throws {
        try await ReleaseHarness.with(basePort: 21400) { harness in
            let context = try harness.context(environment: ["YARD_FAULT_ERROR_RATE": "1"])
            let summary = try await ReleaseRunner(context: context).release(version: "2.0.0-errors")
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.contains("pre-promotion gate failed"), "\(summary.reason)")
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
        }
    }

    @Test func anUnreachableMetricsBackendNeverPromotes() async throws {
        try await ReleaseHarness.with(basePort: 21500, configure: { harness in
            harness.playbook.gates.append(GateDefinition(name: "prom", probe: .prometheus(PrometheusCheck(url: "http://127.0.0.1:9", query: "up", threshold: Threshold(min: 1), timeout: .ms(300))),
                                                         consecutiveErrorLimit: 2))
            harness.playbook.bake.gates = ["prom"]
        }) { harness in
            let summary = try await ReleaseRunner(context: harness.context()).release(version: "2.0.0")
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.contains("failing closed"), "\(summary.reason)")
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
        }
    }

    @Test func twoConcurrentReleasesOfOneServiceRunOneAtATime() async throws {
        try await ReleaseHarness.with(basePort: 21600) { harness in
            async let first = ReleaseRunner(context: harness.context()).release(version: "2.0.0")
            try await Task.sleep(for: .milliseconds(300))
            await #expect(throws: StateStoreError.self) {
                _ = try await ReleaseRunner(context: harness.context()).release(version: "3.0.0")
            }
            #expect(try await first.outcome == .promoted)
        }
    }

    @Test func manualPromotionWaitsForPromoteAndAbortRoutesBack() async throws {
        try await ReleaseHarness.with(basePort: 21800) { harness in
            let runner = ReleaseRunner(context: try harness.context())
            async let summary = runner.release(version: "2.0.0", manual: true)
            // Wait until it waits for a person, then promote it the way `yard release promote` does.
            var waiting: ReleaseRecord?
            for _ in 0..<200 {
                if let record = try await harness.store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == .awaitingPromotion { waiting = record; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let record = try #require(waiting)
            try await ReleaseControlJournal.send(.promote, release: record.id, store: harness.store, actor: "test")
            #expect(try await summary.outcome == .promoted)

            let second = ReleaseRunner(context: try harness.context())
            async let aborted = second.release(version: "3.0.0", manual: true)
            var baking: ReleaseRecord?
            for _ in 0..<200 {
                if let latest = try await harness.store.listReleases(ReleaseQuery(limit: 1)).first, latest.version == "3.0.0", latest.phase == .baking { baking = latest; break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let running = try #require(baking)
            try await ReleaseControlJournal.send(.abort(reason: "changed my mind"), release: running.id, store: harness.store, actor: "test")
            let result = try await aborted
            #expect(result.outcome == .rolledBack)
            #expect(result.reason == "aborted: changed my mind")
            #expect(try await harness.routingHeader() == "zone-a=green,zone-b=green")
        }
    }

    /// Streams that stall or carry malformed events fail the SSE smoke gate on the preview listener.
    @Test(arguments: [("YARD_FAULT_STALL_AFTER", 21900), ("YARD_FAULT_MALFORMED_AFTER", 21920)])
    func brokenStreamsFailThePreviewSmokeGate(fault: String, basePort: Int) async throws {
        try await ReleaseHarness.with(basePort: basePort) { harness in
            let summary = try await ReleaseRunner(context: harness.context(environment: [fault: "2"])).release(version: "2.0.0-broken")
            #expect(summary.outcome == .rolledBack)
            #expect(summary.reason.contains("pre-promotion gate failed: smoke"), "\(summary.reason)")
            #expect(summary.switchMilliseconds == nil)
            #expect(try await harness.routingHeader() == "zone-a=blue,zone-b=blue")
        }
    }

    @Test func wavesSwitchOneZoneAtATime() async throws {
        try await ReleaseHarness.with(basePort: 21940, configure: { harness in
            harness.playbook.waves = [["zone-a"], ["zone-b"]]
            harness.playbook.bake.duration = .seconds(2)
        }) { harness in
            let load = harness.load(rps: 50, streams: 10, streamTokens: 20)
            load.start()
            let summary = try await ReleaseRunner(context: harness.context()).release(version: "2.0.0")
            let report = await load.stop()
            #expect(summary.outcome == .promoted, "\(summary.reason)")
            let routes = try await harness.store.journal(release: summary.id).filter { $0.kind == .action && $0.status == .started && $0.message.hasPrefix("route ") }.map(\.message)
            #expect(routes == ["route zone-a=green,zone-b=blue", "route zone-a=green,zone-b=green"])
            #expect(report.requests.failed == 0 && report.streams.cut == 0, "\(report.requests) \(report.streams)")
        }
    }
}
