import Foundation
import Testing
import SwitchyardTesting
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// `yard load --find-capacity`: the ramp against an instance whose capacity the test fixes, the stored
/// measurement, and a capacity plan that uses it.
@Suite(.serialized)
struct CapacityFinderTests {
    /// A `yard-gateway --max-concurrent 2` answering in 10 tokens × 50 ms: 2 / 0.5 s = 4 QPS, queueing beyond.
    @Test func theRampFindsAFixedCapacityWithinFifteenPercent() async throws {
        try await GatewayProcess.with(["--max-concurrent", "2", "--tokens", "10", "--token-delay", "50ms"]) { gateway in
            var load = LoadConfiguration(baseURL: gateway.baseURL)
            load.requestTokens = 10
            load.requestTokenDelay = nil
            let ramp = CapacityRamp(objective: .init(p99Latency: 1.0), start: 1, growth: 1.5, refinements: 2)
            let (held, steps) = await CapacityFinder(load: load, stepDuration: .seconds(4), pause: .milliseconds(800)).run(ramp)
            let table = steps.map { "\($0.qps): \($0.held ? "held" : $0.broke ?? "")" }.joined(separator: "; ")
            let found = try #require(held, "no step held: \(table)")
            #expect(abs(found - 4) / 4 <= 0.15, "found \(found) QPS, capacity 4: \(table)")
            #expect(steps.contains { !$0.held }, "\(table)")
            #expect(steps.first?.held == true)
        }
    }

    @Test func theRampClimbsThenHalvesTheGap() {
        // A target that holds up to 10 QPS.
        var ramp = CapacityRamp(objective: .init(p99Latency: 0.5), start: 2, growth: 2, refinements: 3)
        var next = ramp.first
        var asked: [Double] = []
        while case .run(let qps) = next {
            asked.append(qps)
            next = ramp.record(CapacityRamp.Step(qps: qps, sent: 100, failed: 0, p99Latency: qps <= 10 ? 0.3 : 2, p99TimeToFirstToken: nil))
        }
        #expect(asked == [2, 4, 8, 16, 12, 10, 11])
        #expect(next == .done(held: 10))
        #expect(ramp.steps.map(\.held) == [true, true, true, false, false, true, false])
        #expect(ramp.steps[3].broke == "p99 latency 2000 ms over 500 ms")
    }

    @Test func errorsBreakAStepAndNothingHeldIsSaid() {
        var ramp = CapacityRamp(objective: .init(p99Latency: 0.5, maxErrorRate: 0.01), start: 5)
        #expect(ramp.record(CapacityRamp.Step(qps: 5, sent: 100, failed: 5, p99Latency: 0.1, p99TimeToFirstToken: nil)) == .done(held: nil))
        #expect(ramp.steps[0].broke == "5% of requests failed (objective ≤ 1%)")
    }

    @Test func aStoredMeasurementIsUsedWhenThePlanGivesNoPerInstanceQPS() async throws {
        let store = try SQLiteStateStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("yard-cap-\(UUID().uuidString.prefix(8)).sqlite").path)
        let objective = CapacityRamp.Objective(p99Latency: 0.5)
        let older = CapacityMeasurement(service: "gateway", target: "http://127.0.0.1:1", qps: 50, objective: objective, steps: [],
                                        measuredAt: Date(timeIntervalSince1970: 1_790_000_000))
        let newer = CapacityMeasurement(service: "gateway", target: "http://127.0.0.1:2", qps: 80, objective: objective, steps: [],
                                        measuredAt: Date(timeIntervalSince1970: 1_790_000_100))
        try await store.recordCapacityMeasurement(newer)
        try await store.recordCapacityMeasurement(older)
        let latest = try #require(try await store.latestCapacityMeasurement(service: "gateway"))
        #expect(latest == newer)
        #expect(try await store.latestCapacityMeasurement(service: "other") == nil)

        var resolved = try CapacityPlaybook.resolve("\(CapacityPlaybookTests.playbooks)/capacity-peak-sale.yaml", playbooks: CapacityPlaybookTests.playbooks,
                                                    topologies: CapacityPlaybookTests.topologies)
        resolved.plan.perInstanceQPS = 200
        let given = try await CapacityPlaybook.compute(resolved, backtestFolds: 0, exportPoints: false, measured: latest).report
        #expect(given.capacity.input.perInstanceQPS == 200)
        #expect(given.capacity.input.perInstanceBasis == "perInstanceQPS of capacity plan \(resolved.plan.name)")
        resolved.plan.perInstanceQPS = nil
        let measured = try await CapacityPlaybook.compute(resolved, backtestFolds: 0, exportPoints: false, measured: latest).report
        #expect(measured.capacity.input.perInstanceQPS == 80)
        #expect(measured.text.contains("per-instance QPS from measured by yard load --find-capacity on http://127.0.0.1:2 at 2026-09-21T"),
                "\(measured.text)")
        let fallback = try await CapacityPlaybook.compute(resolved, backtestFolds: 0, exportPoints: false).report
        #expect(fallback.capacity.input.perInstanceQPS == resolved.service.capacityQPS)
        #expect(fallback.text.contains("per-instance QPS from capacityQPS of service gateway in its topology"))
    }
}
