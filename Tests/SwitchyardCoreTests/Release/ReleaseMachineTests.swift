import Foundation
import Testing
@testable import SwitchyardCore

/// Every transition of a release, failure paths included, driven by events without any I/O.
struct ReleaseMachineTests {
    static let ready = GateDefinition(name: "ready", probe: .http(HTTPCheck(path: "/readyz")), consecutiveErrorLimit: 2)
    static let errors = GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05))), failureLimit: 0)

    static func plan(waves: [[String]] = [["a", "b"]], manual: Bool = false, keepWarm: Bool = false, bake: TimeSpan = .seconds(10)) -> ReleasePlan {
        ReleasePlan(service: "gateway", topology: "local", version: "2.0", previousVersion: "1.0", before: ["a": .blue, "b": .blue],
                    waves: waves, preGates: [ready], bakeGates: [errors], bakeDuration: bake, bakeInterval: .seconds(1),
                    scaleDownDelay: .seconds(30), keepWarm: keepWarm, manualPromotion: manual)
    }

    @Test func happyPathIsPromoted() {
        var machine = ReleaseMachine(plan: Self.plan())
        #expect(machine.start() == [.deploy(zones: ["a", "b"], slot: .green, version: "2.0")])
        #expect(machine.phase == .deploying)
        #expect(machine.deployed(ok: true, detail: "4 ready") == [.measure(gate: "ready", zones: ["a", "b"], slot: .green)])
        #expect(machine.phase == .verifying)
        #expect(machine.measured(gate: "ready", .pass("200")) == [.route(["a": .green, "b": .green])])
        #expect(machine.phase == .switching)
        #expect(machine.routed(ok: true, detail: "") == [.bake(gates: ["errors"], duration: .seconds(10), interval: .seconds(1))])
        #expect(machine.phase == .baking)
        #expect(machine.sampled(gate: "errors", .pass(0.0, "0%")) == [])
        #expect(machine.bakeElapsed() == [.retire(zones: ["a", "b"], slot: .blue, delay: .seconds(30))])
        #expect(machine.phase == .scalingDown)
        #expect(machine.retired(ok: true, detail: "") == [.finish(.promoted, reason: "promoted 2.0")])
        #expect(machine.phase == .promoted)
        #expect(machine.outcome == .promoted)
    }

    @Test func preGateFailureNeverMovesTraffic() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start()
        _ = machine.deployed(ok: true, detail: "")
        let actions = machine.measured(gate: "ready", .fail("503"))
        #expect(actions == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
        #expect(!actions.contains { if case .route = $0 { true } else { false } })
        #expect(machine.phase == .rollingBack)
        guard case .finish(.rolledBack, let reason) = machine.retired(ok: true, detail: "").first else { Issue.record("not finished"); return }
        #expect(reason.contains("pre-promotion gate failed"))
        #expect(machine.phase == .rolledBack)
    }

    @Test func preGateErrorsAreRetriedThenFailClosed() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start()
        _ = machine.deployed(ok: true, detail: "")
        #expect(machine.measured(gate: "ready", .error("refused")) == [.measure(gate: "ready", zones: ["a", "b"], slot: .green)])
        #expect(machine.measured(gate: "ready", .error("refused")) == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
        #expect(machine.reason?.contains("failing closed") == true)
    }

    @Test func deployFailureRetiresTheNewSlot() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start()
        #expect(machine.deployed(ok: false, detail: "never ready") == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
        #expect(machine.reason == "deploy failed: never ready")
    }

    @Test func bakeFailureRoutesBackThenRetiresTheNewSlot() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        #expect(machine.sampled(gate: "errors", .fail(0.3, "error-rate 30%")) == [.route(["a": .blue, "b": .blue])])
        #expect(machine.phase == .rollingBack)
        #expect(machine.routed(ok: true, detail: "") == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
        #expect(machine.retired(ok: true, detail: "").first == .finish(.rolledBack, reason: machine.reason!))
        #expect(machine.reason!.contains("error-rate 30%"))
    }

    @Test func failingToRouteBackEndsFailed() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .fail("bad"))
        guard case .finish(.failed, _) = machine.routed(ok: false, detail: "nginx -t failed").first else { Issue.record("expected failed"); return }
        #expect(machine.phase == .failed)
    }

    @Test func switchFailureRetiresWithoutRoutingBack() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok"))
        #expect(machine.routed(ok: false, detail: "nginx -t: unknown directive") == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
    }

    @Test func bakeWithoutEvidenceFailsClosed() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .error("metrics unreachable"))
        _ = machine.sampled(gate: "errors", .error("metrics unreachable"))
        #expect(machine.bakeElapsed() == [.route(["a": .blue, "b": .blue])])
    }

    @Test func metricsBackendDownNeverPromotes() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .error("refused"))
        _ = machine.sampled(gate: "errors", .error("refused"))
        #expect(machine.sampled(gate: "errors", .error("refused")) == [.route(["a": .blue, "b": .blue])])
        #expect(machine.reason?.contains("failing closed") == true)
    }

    @Test func wavesSwitchZoneByZoneAndRollBackEverySwitchedZone() {
        var machine = ReleaseMachine(plan: Self.plan(waves: [["a"], ["b"]]))
        #expect(machine.start() == [.deploy(zones: ["a"], slot: .green, version: "2.0")])
        _ = machine.deployed(ok: true, detail: "")
        #expect(machine.measured(gate: "ready", .pass("ok")) == [.route(["a": .green, "b": .blue])])
        _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .pass("ok"))
        #expect(machine.bakeElapsed() == [.deploy(zones: ["b"], slot: .green, version: "2.0")])
        _ = machine.deployed(ok: true, detail: "")
        #expect(machine.measured(gate: "ready", .pass("ok")) == [.route(["a": .green, "b": .green])])
        _ = machine.routed(ok: true, detail: "")
        #expect(machine.sampled(gate: "errors", .fail("bad")) == [.route(["a": .blue, "b": .blue])])
        #expect(machine.routed(ok: true, detail: "") == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
    }

    @Test func manualPromotionWaitsForAPerson() {
        var machine = ReleaseMachine(plan: Self.plan(manual: true))
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .pass("ok"))
        #expect(machine.bakeElapsed() == [.awaitPromotion])
        #expect(machine.phase == .awaitingPromotion)
        #expect(machine.promote() == [.retire(zones: ["a", "b"], slot: .blue, delay: .seconds(30))])
    }

    @Test func promoteDuringTheLastBakeSkipsTheRest() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        #expect(machine.promote() == [.retire(zones: ["a", "b"], slot: .blue, delay: .seconds(30))])
    }

    @Test func abortRoutesBack() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        #expect(machine.abort(reason: "by alice") == [.route(["a": .blue, "b": .blue])])
        #expect(machine.reason == "aborted: by alice")
        #expect(machine.abortReason == "by alice")
        // A second abort does nothing.
        #expect(machine.abort(reason: "again") == [])
    }

    @Test func pauseHoldsBeforeTheSwitchAndResumeContinues() {
        var machine = ReleaseMachine(plan: Self.plan())
        _ = machine.start(); _ = machine.deployed(ok: true, detail: "")
        _ = machine.pause()
        #expect(machine.measured(gate: "ready", .pass("ok")) == [])
        #expect(machine.phase == .verifying)
        #expect(machine.resume() == [.route(["a": .green, "b": .green])])
    }

    @Test func keepWarmPromotesWithoutRetiring() {
        var machine = ReleaseMachine(plan: Self.plan(keepWarm: true))
        _ = machine.start(); _ = machine.deployed(ok: true, detail: ""); _ = machine.measured(gate: "ready", .pass("ok")); _ = machine.routed(ok: true, detail: "")
        _ = machine.sampled(gate: "errors", .pass("ok"))
        guard case .finish(.promoted, let reason) = machine.bakeElapsed().first else { Issue.record("expected promoted"); return }
        #expect(reason.contains("kept warm"))
    }

    @Test func eventsOutOfPhaseAreIgnored() {
        var machine = ReleaseMachine(plan: Self.plan())
        #expect(machine.routed(ok: true, detail: "") == [])
        #expect(machine.bakeElapsed() == [])
        #expect(machine.measured(gate: "ready", .pass("ok")) == [])
        #expect(machine.retired(ok: true, detail: "") == [])
        #expect(machine.phase == .planned)
    }

    /// A restart in any phase re-issues that phase's idempotent actions; the machine survives the
    /// journal (JSON) unchanged.
    @Test func restartInEveryPhaseResumes() throws {
        var machine = ReleaseMachine(plan: Self.plan())
        var seen: [ReleaseMachine.Phase: [ReleaseMachine.Action]] = [:]
        func snapshot() throws {
            var restored = try JSONDecoder().decode(ReleaseMachine.self, from: JSONEncoder().encode(machine))
            #expect(restored == machine)
            seen[machine.phase] = restored.restarted()
        }
        try snapshot()
        _ = machine.start(); try snapshot()
        _ = machine.deployed(ok: true, detail: ""); try snapshot()
        _ = machine.measured(gate: "ready", .pass("ok")); try snapshot()
        _ = machine.routed(ok: true, detail: ""); try snapshot()
        _ = machine.sampled(gate: "errors", .fail("bad")); try snapshot()
        _ = machine.routed(ok: true, detail: ""); try snapshot()
        #expect(seen[.planned] == [.deploy(zones: ["a", "b"], slot: .green, version: "2.0")])
        #expect(seen[.deploying] == [.deploy(zones: ["a", "b"], slot: .green, version: "2.0")])
        #expect(seen[.verifying] == [.measure(gate: "ready", zones: ["a", "b"], slot: .green)])
        #expect(seen[.switching] == [.route(["a": .green, "b": .green])])
        #expect(seen[.baking] == [.bake(gates: ["errors"], duration: .seconds(10), interval: .seconds(1))])
        // Rolling back, after routing back: retire again.
        #expect(seen[.rollingBack] == [.retire(zones: ["a", "b"], slot: .green, delay: .ms(0))])
    }

    @Test func planFromManifests() throws {
        let topology = Topology(name: "t", zones: [Zone(name: "a"), Zone(name: "b")],
                                loadBalancers: [LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: 1), previewListen: HostPort(host: "127.0.0.1", port: 2), directory: "x")],
                                services: [Service(name: "gateway", zones: ["a", "b"], replicasPerZone: 1, loadBalancer: "edge",
                                                   instance: InstanceSpec(command: "g --port {port}", ports: PortRange(first: 3)), capacityQPS: 1)])
        let playbook = ReleasePlaybook(name: "r", topology: "t", service: "gateway", preGates: ["ready"],
                                       bake: .init(duration: .minutes(1), interval: .seconds(5), gates: ["errors"]), gates: [Self.ready, Self.errors])
        let plan = try ReleasePlan.make(topology: topology, playbook: playbook, version: "2", live: ["a": .green, "b": .green], liveVersion: "1")
        #expect(plan.routing(afterWaves: 1) == ["a": .blue, "b": .blue])
        #expect(plan.preGates.map(\.name) == ["ready"])
        #expect(throws: ReleasePlan.PlanError.sameVersion("1")) {
            try ReleasePlan.make(topology: topology, playbook: playbook, version: "1", live: [:], liveVersion: "1")
        }
        // A version outside [A-Za-z0-9._+-]{1,64} is refused before anything is planned.
        #expect(throws: ReleasePlan.PlanError.invalidVersion("2; touch /tmp/x")) {
            try ReleasePlan.make(topology: topology, playbook: playbook, version: "2; touch /tmp/x", live: [:], liveVersion: "1")
        }
    }
}
