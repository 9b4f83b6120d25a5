import Foundation
import Testing
@testable import SwitchyardCore

struct ObjectiveVerdictTests {
    let objectives = Objectives(rto: .seconds(30), minSuccessRate: ninetyNine, maxRequestsLost: 100, maxStreamsCut: 2)

    func measurements(rto: Double? = 12, beforeRestore: Bool = true, faultRate: Double? = 0.995, lost: Int = 40, cut: Int = 1) -> DrillMeasurements {
        DrillMeasurements(injectedAt: 10, restoredAt: 70, timeToDetect: 1, rto: rto, recoveredBeforeRestore: beforeRestore,
                          lowestSuccessRate: 0.6, requestsLost: lost, streamsCut: cut, worstP99: 800,
                          faultSuccessRate: faultRate, faultRequests: 6_000, objectiveRate: 0.99)
    }

    func passed(_ m: DrillMeasurements) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: objectives.verdicts(m).map { ($0.objective, $0.passed) })
    }

    @Test func everyObjectiveMet() {
        let verdicts = objectives.verdicts(measurements())
        #expect(verdicts.map(\.objective) == ["rto", "success rate", "requests lost", "streams cut"])
        #expect(verdicts.allSatisfy { $0.passed })
        #expect(verdicts[0].target == "≤ 30s" && verdicts[0].measured == "12s")
        #expect(verdicts[1].target == "≥ 99%" && verdicts[1].measured == "99.5% during the fault (lowest second 60%)")
        #expect(verdicts[2].target == "≤ 100" && verdicts[2].measured == "40")
        #expect(verdicts[3].target == "≤ 2" && verdicts[3].measured == "1")
    }

    @Test func eachObjectiveFailsOnItsOwn() {
        #expect(passed(measurements(rto: 31)) == ["rto": false, "success rate": true, "requests lost": true, "streams cut": true])
        #expect(passed(measurements(rto: 30))["rto"] == true, "at the objective is within it")
        #expect(passed(measurements(rto: nil))["rto"] == false)
        #expect(passed(measurements(rto: 20, beforeRestore: false))["rto"] == false)
        #expect(passed(measurements(faultRate: 0.98)) == ["rto": true, "success rate": false, "requests lost": true, "streams cut": true])
        #expect(passed(measurements(faultRate: 0.99))["success rate"] == true)
        #expect(passed(measurements(lost: 101)) == ["rto": true, "success rate": true, "requests lost": false, "streams cut": true])
        #expect(passed(measurements(cut: 3)) == ["rto": true, "success rate": true, "requests lost": true, "streams cut": false])
    }

    @Test func unsetLimitsAreNotJudged() {
        let verdicts = Objectives(rto: .seconds(30), minSuccessRate: ninetyNine).verdicts(measurements(lost: 10_000, cut: 500))
        #expect(verdicts.map(\.objective) == ["rto", "success rate"])
    }

    @Test func theOutcomeFollowsTheVerdictsAndTheGuardrail() {
        let met = objectives.verdicts(measurements()), missed = objectives.verdicts(measurements(cut: 3))
        let trip = GuardrailTrip(rule: "max-p99", message: "slow", second: 4)
        #expect(DrillOutcome.judged(verdicts: met, guardrailTrip: nil) == .passed)
        #expect(DrillOutcome.judged(verdicts: missed, guardrailTrip: nil) == .failed)
        #expect(DrillOutcome.judged(verdicts: met, guardrailTrip: trip) == .aborted)
    }
}
