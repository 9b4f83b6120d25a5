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

    /// An abort once the fault is restored: no wait for the recovery, and the run ends aborted, not judged.
    @Test func cancellingWhileRestoringOrSettlingEndsAbortedWithoutTheWait() {
        func restoring() -> DrillMachine {
            var machine = DrillMachine(duration: .seconds(5))
            _ = machine.start()
            _ = machine.steadyState(ok: true, detail: "")
            _ = machine.trafficStarted(ok: true, detail: "")
            _ = machine.restoresWritten(ok: true, detail: "")
            _ = machine.injected(ok: true, detail: "")
            _ = machine.faultWindowEnded()
            return machine
        }
        var whileRestoring = restoring()
        #expect(whileRestoring.cancelled("aborted by ops").isEmpty, "the restore in progress runs to its end")
        #expect(Self.names(whileRestoring.restored(ok: true, detail: "")) == ["stop"])
        #expect(Self.names(whileRestoring.trafficStopped()) == ["check-after"])
        _ = whileRestoring.steadyState(ok: true, detail: "")
        #expect(Self.names(whileRestoring.analysed(objectivesMet: true, detail: "")) == ["finish-aborted"])
        #expect(whileRestoring.reason == "aborted by ops")

        var whileSettling = restoring()
        _ = whileSettling.restored(ok: true, detail: "")
        #expect(whileSettling.phase == .settling)
        #expect(Self.names(whileSettling.cancelled("aborted by ops")) == ["stop"])
        #expect(whileSettling.settled().isEmpty, "the settle cut short reports nothing more")
        #expect(Self.names(whileSettling.trafficStopped()) == ["check-after"])
        _ = whileSettling.steadyState(ok: true, detail: "")
        #expect(Self.names(whileSettling.analysed(objectivesMet: true, detail: "")) == ["finish-aborted"])

        // A failed restore decides the outcome; an abort does not hide it.
        var failedRestore = restoring()
        _ = failedRestore.cancelled("aborted by ops")
        _ = failedRestore.restored(ok: false, detail: "nginx would not start")
        #expect(Self.names(failedRestore.trafficStopped()) == ["finish-error"])

        var finished = DrillMachine(duration: .seconds(5))
        _ = Self.walk(&finished)
        #expect(finished.cancelled("too late").isEmpty)
        #expect(finished.outcome == .passed)
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
