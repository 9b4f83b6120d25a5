import Testing
@testable import SwitchyardCore

/// Figures that are not numbers, empty results, and errors at the end of a bake: none may promote unseen.
struct GateJudgementTests {
    static func prometheus(onEmpty: PrometheusCheck.OnEmpty = .inconclusive) -> PrometheusCheck {
        PrometheusCheck(url: "http://127.0.0.1:9090", query: "q", threshold: Threshold(max: 0.05), onEmpty: onEmpty)
    }

    @Test(arguments: [(PrometheusCheck.OnEmpty.pass, GateMeasurement.Phase.pass), (.fail, .fail), (.inconclusive, .inconclusive)])
    func anEmptyResultIsWhatTheGateSays(onEmpty: PrometheusCheck.OnEmpty, phase: GateMeasurement.Phase) {
        let measurement = MetricJudge.judge(Self.prometheus(onEmpty: onEmpty), value: nil)
        #expect(measurement.phase == phase)
        #expect(measurement.message.contains("no series"))
    }

    @Test func nanIsReportedAsNaNAndInfinitiesAreOutOfBounds() {
        let nan = MetricJudge.judge(Self.prometheus(onEmpty: .pass), value: .nan)
        #expect(nan.phase == .inconclusive)
        #expect(nan.message.contains("NaN"))
        let inf = MetricJudge.judge(Self.prometheus(), value: .infinity)
        #expect(inf.phase == .fail)
        #expect(inf.value == nil)
        #expect(inf.message.contains("+Inf"))
        #expect(MetricJudge.judge(PrometheusCheck(url: "u", query: "q", threshold: Threshold(min: 0)), value: -.infinity).phase == .fail)
        #expect(!Threshold().admits(.nan))
        let metric = MetricJudge.judge(MetricCheck(measure: .p99Latency, threshold: Threshold(max: 1)), value: .infinity, baseline: nil)
        #expect(metric.phase == .fail)
    }

    @Test func anErrorInTheLastIntervalsNeverPromotes() {
        let gate = GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05))), consecutiveErrorLimit: 3)
        var tracker = GateTracker(gate, mode: .bake)
        tracker.record(.pass(0, "0%"))
        tracker.record(.pass(0, "0%"))
        tracker.record(.error("scrape failed"))
        #expect(tracker.verdict == .pending)
        #expect(tracker.conclude().isFailed)
        var recovered = GateTracker(gate, mode: .bake)
        recovered.record(.error("scrape failed"))
        recovered.record(.pass(0, "0%"))
        #expect(recovered.conclude() == .passed)
    }

    @Test func aDeadNewSlotRoutesBackAtOnce() {
        var machine = ReleaseMachine(plan: ReleaseMachineTests.plan())
        _ = machine.start()
        _ = machine.deployed(ok: true, detail: "")
        _ = machine.measured(gate: "ready", .pass("200"))
        _ = machine.routed(ok: true, detail: "")
        #expect(machine.phase == .baking)
        #expect(machine.newSlotDown("gateway-zone-a-green-0 no longer running") == [.route(["a": .blue, "b": .blue])])
        #expect(machine.reason == "new slot down: gateway-zone-a-green-0 no longer running")
        // Before the switch there is nothing to route back from: the event means nothing.
        var early = ReleaseMachine(plan: ReleaseMachineTests.plan())
        _ = early.start()
        #expect(early.newSlotDown("x") == [])
    }

    @Test func anAbortWhoseReasonIsPromoteAborts() {
        var machine = ReleaseMachine(plan: ReleaseMachineTests.plan(manual: true))
        _ = machine.start()
        _ = machine.deployed(ok: true, detail: "")
        _ = machine.measured(gate: "ready", .pass("200"))
        _ = machine.routed(ok: true, detail: "")
        #expect(machine.control(.abort(reason: "promote")) == [.route(["a": .blue, "b": .blue])])
        #expect(machine.reason == "aborted: promote")
    }
}

/// The old slot backs the new one during the bake: nginx's `backup` servers.
struct NginxBackupTests {
    @Test func theOldSlotIsRenderedAsBackupServersWithTriesToReachThem() throws {
        let balancer = LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: 7800), previewListen: HostPort(host: "127.0.0.1", port: 7801), directory: "/tmp/x")
        let live = (0..<4).map { HostPort(host: "127.0.0.1", port: 7810 + $0) }
        let old = (0..<4).map { HostPort(host: "127.0.0.1", port: 7820 + $0) }
        let text = try NginxConfig(balancer: balancer, service: "gateway", live: live, preview: [], prefix: "/tmp/x", routingLabel: "a=green", backup: old).render()
        for address in old { #expect(text.contains("server \(address) max_fails=1 fail_timeout=10s backup;")) }
        #expect(text.contains("proxy_next_upstream_tries 6;"))
        let plain = try NginxConfig(balancer: balancer, service: "gateway", live: live, preview: [], prefix: "/tmp/x", routingLabel: "a=green").render()
        #expect(!plain.contains("backup"))
        #expect(plain.contains("proxy_next_upstream_tries 3;"))
    }
}
