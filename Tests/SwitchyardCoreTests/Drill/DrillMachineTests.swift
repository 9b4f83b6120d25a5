import SwitchyardCore
import Testing

@Suite("Drill machine")
struct DrillMachineTests {
    /// Feeds the machine the happy outcome of each action until it finishes; returns the actions seen.
    static func walk(_ machine: inout DrillMachine, override: (DrillMachine.Action, inout DrillMachine) -> [DrillMachine.Action]? = { _, _ in nil }) -> [DrillMachine.Action] {
        var queue = machine.start()
        var seen: [DrillMachine.Action] = []
        while !queue.isEmpty {
            let action = queue.removeFirst()
            seen.append(action)
            if let next = override(action, &machine) { queue += next; continue }
            switch action {
            case .checkSteadyState: queue += machine.steadyState(ok: true, detail: "ok")
            case .startTraffic: queue += machine.trafficStarted(ok: true, detail: "")
            case .journalRestores: queue += machine.restoresWritten(ok: true, detail: "")
            case .inject: queue += machine.injected(ok: true, detail: "")
            case .observe: queue += machine.faultWindowEnded()
            case .restore: queue += machine.restored(ok: true, detail: "")
            case .settle: queue += machine.settled()
            case .stopTraffic: queue += machine.trafficStopped()
            case .analyse: queue += machine.analysed(objectivesMet: true, detail: "every objective met")
            case .finish: break
            }
        }
        return seen
    }

    static func names(_ actions: [DrillMachine.Action]) -> [String] {
        actions.map {
            switch $0 {
            case .checkSteadyState(let stage): "check-\(stage.rawValue)"
            case .startTraffic: "traffic"
            case .journalRestores: "journal"
            case .inject: "inject"
            case .observe: "observe"
            case .restore: "restore"
            case .settle: "settle"
            case .stopTraffic: "stop"
            case .analyse: "analyse"
            case .finish(let outcome, _): "finish-\(outcome.rawValue)"
            }
        }
    }

    @Test func aDrillGoesThroughEveryStepInOrder() {
        var machine = DrillMachine(duration: .seconds(20))
        let actions = Self.walk(&machine)
        #expect(Self.names(actions) == ["check-before", "traffic", "journal", "inject", "observe", "restore", "settle", "stop", "check-after", "analyse", "finish-passed"])
        #expect(actions.contains(.observe(duration: .seconds(20))))
        #expect(machine.outcome == .passed)
        #expect(machine.phase == .finished)
    }

    @Test func aFailedSteadyStateBeforeInjectsNothing() {
        var machine = DrillMachine(duration: .seconds(20))
        let actions = Self.walk(&machine) { action, m in
            if case .checkSteadyState(.before) = action { return m.steadyState(ok: false, detail: "2 of 20 probes failed") }
            return nil
        }
        #expect(Self.names(actions) == ["check-before", "finish-error"])
        #expect(machine.reason?.contains("2 of 20 probes failed") == true)
        #expect(!machine.restoresJournaled)
    }

    @Test func aGuardrailRestoresAtOnceAndTheDrillEndsAborted() {
        var machine = DrillMachine(duration: .minutes(2))
        let actions = Self.walk(&machine) { action, m in
            if case .observe = action { return m.guardrailTripped("success rate under 50% for 10s") }
            if case .analyse = action { return m.analysed(objectivesMet: true, detail: "") }
            return nil
        }
        #expect(Self.names(actions) == ["check-before", "traffic", "journal", "inject", "observe", "restore", "settle", "stop", "check-after", "analyse", "finish-aborted"])
        #expect(actions.contains(.restore(reason: "guardrail: success rate under 50% for 10s")))
        #expect(machine.outcome == .aborted)
    }

    @Test func aFailedInjectionIsStillRestored() {
        var machine = DrillMachine(duration: .seconds(5))
        let actions = Self.walk(&machine) { action, m in
            if case .inject = action { return m.injected(ok: false, detail: "no such process") }
            return nil
        }
        #expect(Self.names(actions).contains("restore"))
        #expect(machine.outcome == .error)
    }

    @Test func aFailedRestoreEndsInErrorWithoutTheSecondCheck() {
        var machine = DrillMachine(duration: .seconds(5))
        let actions = Self.walk(&machine) { action, m in
            if case .restore = action { return m.restored(ok: false, detail: "instance would not start") }
            return nil
        }
        #expect(Self.names(actions) == ["check-before", "traffic", "journal", "inject", "observe", "restore", "stop", "finish-error"])
        #expect(machine.reason?.contains("stay pending") == true)
    }

    @Test func missedObjectivesOrSteadyStateAfterFailTheDrill() {
        var missed = DrillMachine(duration: .seconds(5))
        _ = Self.walk(&missed) { action, m in
            if case .analyse = action { return m.analysed(objectivesMet: false, detail: "RTO 41s over the 30s objective") }
            return nil
        }
        #expect(missed.outcome == .failed)
        #expect(missed.reason == "RTO 41s over the 30s objective")

        var notBack = DrillMachine(duration: .seconds(5))
        _ = Self.walk(&notBack) { action, m in
            if case .checkSteadyState(.after) = action { return m.steadyState(ok: false, detail: "healthz 503") }
            return nil
        }
        #expect(notBack.outcome == .failed)
    }

    @Test func cancellingBeforeTheFaultStopsTrafficAndAfterItRestores() {
        var early = DrillMachine(duration: .seconds(5))
        _ = early.start()
        _ = early.steadyState(ok: true, detail: "")
        #expect(Self.names(early.cancelled("replaced by a newer run")) == ["stop"])
        #expect(Self.names(early.trafficStopped()) == ["finish-aborted"])

        var late = DrillMachine(duration: .seconds(5))
        _ = late.start()
        _ = late.steadyState(ok: true, detail: "")
        _ = late.trafficStarted(ok: true, detail: "")
        _ = late.restoresWritten(ok: true, detail: "")
        _ = late.injected(ok: true, detail: "")
        #expect(late.cancelled("daemon stopping") == [.restore(reason: "daemon stopping")])
    }

    @Test func eventsOutOfPhaseAreIgnored() {
        var machine = DrillMachine(duration: .seconds(5))
        #expect(machine.injected(ok: true, detail: "").isEmpty)
        #expect(machine.faultWindowEnded().isEmpty)
        _ = machine.start()
        #expect(machine.restored(ok: true, detail: "").isEmpty)
        #expect(machine.phase == .checkingBefore)
    }
}
