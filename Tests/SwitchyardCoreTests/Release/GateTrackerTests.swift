import Testing
@testable import SwitchyardCore

struct GateTrackerTests {
    func gate(failureLimit: Int = 0, consecutive: Int? = nil, errors: Int = 3, inconclusive: GateDefinition.Inconclusive = .ignore) -> GateDefinition {
        GateDefinition(name: "g", probe: .http(HTTPCheck(path: "/readyz")), failureLimit: failureLimit,
                       consecutiveFailureLimit: consecutive, consecutiveErrorLimit: errors, inconclusive: inconclusive)
    }

    @Test func checkGatePassesOnFirstPass() {
        var tracker = GateTracker(gate(), mode: .check)
        #expect(tracker.record(.pass("ok")) == .passed)
    }

    @Test func failurePastTheLimitFails() {
        var tracker = GateTracker(gate(failureLimit: 1), mode: .bake)
        #expect(tracker.record(.fail(0.2, "error-rate 20%")) == .pending)
        #expect(tracker.record(.pass("fine")) == .pending)
        #expect(tracker.record(.fail(0.3, "error-rate 30%")).isFailed)
        // A decided gate stays decided.
        #expect(tracker.record(.pass("fine")).isFailed)
    }

    @Test func consecutiveFailuresFailBeforeTheTotalLimit() {
        var tracker = GateTracker(gate(failureLimit: 10, consecutive: 2), mode: .bake)
        #expect(tracker.record(.fail("x")) == .pending)
        #expect(tracker.record(.fail("x")).isFailed)
    }

    @Test func errorsFailClosedAfterTheLimitAndAPassResetsTheRun() {
        var tracker = GateTracker(gate(errors: 3), mode: .bake)
        #expect(tracker.record(.error("connection refused")) == .pending)
        #expect(tracker.record(.error("connection refused")) == .pending)
        #expect(tracker.record(.pass("ok")) == .pending)
        #expect(tracker.record(.error("connection refused")) == .pending)
        #expect(tracker.record(.error("connection refused")) == .pending)
        guard case .failed(let reason) = tracker.record(.error("connection refused")) else { Issue.record("expected failure"); return }
        #expect(reason.contains("failing closed"))
    }

    @Test func bakeWithoutAnyPassFailsClosedAtTheEnd() {
        var tracker = GateTracker(gate(), mode: .bake)
        tracker.record(.inconclusive("no requests"))
        tracker.record(.inconclusive("no requests"))
        #expect(tracker.conclude().isFailed)
        var good = GateTracker(gate(), mode: .bake)
        good.record(.inconclusive("no requests"))
        good.record(.pass("ok"))
        #expect(good.conclude() == .passed)
    }

    @Test(arguments: [(GateDefinition.Inconclusive.pass, GateVerdict.passed), (.fail, .failed(reason: "")), (.ignore, .pending)])
    func inconclusivePolicy(policy: GateDefinition.Inconclusive, expected: GateVerdict) {
        var tracker = GateTracker(gate(inconclusive: policy), mode: .check)
        let verdict = tracker.record(.inconclusive("no data"))
        #expect(verdict.isFailed == expected.isFailed)
        #expect((verdict == .passed) == (expected == .passed))
    }

    @Test func metricJudgeComparesWithThresholdAndBaseline() {
        let check = MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05), maxIncreaseOverBaseline: 0.02)
        #expect(MetricJudge.judge(check, value: 0.01, baseline: 0.0).phase == .pass)
        #expect(MetricJudge.judge(check, value: 0.06, baseline: 0.0).phase == .fail)
        #expect(MetricJudge.judge(check, value: 0.04, baseline: 0.01).phase == .fail)
        #expect(MetricJudge.judge(check, value: nil, baseline: nil, requests: 0).phase == .inconclusive)
        let latency = MetricCheck(measure: .p99Latency, threshold: Threshold(max: 0.15))
        #expect(MetricJudge.judge(latency, value: 0.2, baseline: nil).message == "p99-latency 200ms is outside ≤ 150ms")
    }
}
