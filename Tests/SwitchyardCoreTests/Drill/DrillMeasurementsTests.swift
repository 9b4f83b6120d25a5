import Foundation
import Testing
@testable import SwitchyardCore

struct DrillMeasurementsTests {
    @Test func nothingFailedMeansNoDetectionAndAnRTOOfZero() {
        let m = DrillMeasurements.analyze(seconds: steady(0...29), injectedAt: 10, restoredAt: 25, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == nil)
        #expect(m.rto == 0)
        #expect(m.recoveredBeforeRestore)
        #expect(m.requestsLost == 0 && m.streamsCut == 0)
        #expect(m.lowestSuccessRate == 1)
        #expect(m.faultSuccessRate == 1 && m.faultRequests == 1_500)
    }

    @Test func aCutStreamIsDetectedEvenWhenEveryRequestSucceeds() {
        // The zone's streams break off at 11 while retries keep every request answering: detected, RTO 0.
        let seconds = steady(0...10) + failing(11...11, failed: 0, streamsCut: 4) + steady(12...30)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10.4, restoredAt: 25, objectiveRate: ninetyNine)
        #expect(abs((m.timeToDetect ?? 0) - 0.6) < 1e-9)
        #expect(m.rto == 0)
        #expect(m.streamsCut == 4 && m.requestsLost == 0)
    }

    @Test func aDipThatRecoversGivesTheExactRTO() {
        // Injected at 10.0, failures in 12...14, back to 100 % from 15: RTO 5 s, detected after 2 s.
        let seconds = steady(0...11) + failing(12...14, failed: 50, streamsCut: 1) + steady(15...59, p99: 130)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 40, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == 2)
        #expect(m.rto == 5)
        #expect(m.recoveredAt == 15 && m.detectedAt == 12)
        #expect(m.recoveredBeforeRestore)
        #expect(m.requestsLost == 150)
        #expect(m.streamsCut == 3)
        #expect(m.lowestSuccessRate == 0.5)
        #expect(m.worstP99 == 900)
        // The fault window is seconds 10...39: 3,000 requests, 150 lost.
        #expect(m.faultRequests == 3_000)
        #expect(m.faultSuccessRate == 0.95)
    }

    @Test func timesAreMeasuredFromAnInjectionInsideASecond() {
        let seconds = steady(0...11) + failing(12...14, failed: 50) + steady(15...40)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10.5, restoredAt: 30, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == 1.5)
        #expect(m.rto == 4.5)
        // A failure in the second the fault went in is placed at the injection, not before it.
        let early = DrillMeasurements.analyze(seconds: steady(0...9) + failing(10...10, failed: 10) + steady(11...30),
                                              injectedAt: 10.5, restoredAt: 25, objectiveRate: ninetyNine)
        #expect(early.timeToDetect == 0)
        #expect(early.rto == 0.5)
    }

    @Test func failuresBeforeTheInjectionDoNotCount() {
        let seconds = failing(0...2, failed: 100) + steady(3...30)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 20, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == nil && m.rto == 0 && m.requestsLost == 0)
    }

    @Test func failuresThatStayWithinTheObjectiveNeedNoRecovery() {
        // 1 failure in 1,000 is 99.9 %: detected, but never under 99 %.
        let seconds = steady(0...9, per: 1_000) + failing(10...12, failed: 1, per: 1_000) + steady(13...30, per: 1_000)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 20, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == 0)
        #expect(m.rto == 0)
        #expect(m.requestsLost == 3)
    }

    @Test func aRecoveryOnlyAfterTheRestoreIsFlagged() {
        let seconds = steady(0...10) + failing(11...29, failed: 40) + steady(30...45)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 25, objectiveRate: ninetyNine)
        #expect(m.rto == 20)
        #expect(!m.recoveredBeforeRestore)
        let verdict = Objectives(rto: .seconds(60), minSuccessRate: .percent(50)).verdicts(m)[0]
        #expect(verdict.objective == "rto" && !verdict.passed)
        #expect(verdict.measured == "20s, only after the restore")
    }

    @Test func neverRecoveringGivesNoRTOAndFailsTheRTOObjective() {
        let seconds = steady(0...10) + failing(11...40, failed: 100)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 30, objectiveRate: ninetyNine)
        #expect(m.rto == nil)
        #expect(!m.recoveredBeforeRestore)
        #expect(m.lowestSuccessRate == 0)
        let verdict = Objectives(rto: .seconds(30), minSuccessRate: ninetyNine).verdicts(m)[0]
        #expect(!verdict.passed && verdict.measured == "not recovered")
    }

    @Test func aRecoveryWindowCutShortByTheEndOfTrafficIsNotARecovery() {
        let seconds = steady(0...10) + failing(11...11, failed: 100) + steady(12...20)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: nil, objectiveRate: ninetyNine)
        #expect(m.rto == nil)
        let longer = DrillMeasurements.analyze(seconds: seconds + steady(21...21), injectedAt: 10, restoredAt: nil, objectiveRate: ninetyNine)
        #expect(longer.rto == 2)
        #expect(longer.recoveredBeforeRestore, "no restore: recovered on its own")
    }

    @Test func secondsWithNothingFinishedNeitherCountNorBreakTheWindow() {
        // Bad at 12; good 13...17; no traffic at 18 and 19; sent but nothing finished at 20; good 21...25.
        let seconds = steady(0...11) + failing(12...12, failed: 60) + steady(13...17) + [silent(20)] + steady(21...25)
        let m = DrillMeasurements.analyze(seconds: seconds.shuffled(), injectedAt: 10, restoredAt: 30, objectiveRate: ninetyNine)
        #expect(m.rto == 3)
        #expect(m.timeToDetect == 2)
        // Nine good seconds are not enough, whatever the gaps.
        let short = DrillMeasurements.analyze(seconds: Array(seconds.dropLast()), injectedAt: 10, restoredAt: 30, objectiveRate: ninetyNine)
        #expect(short.rto == nil)
    }

    @Test func aBadSecondRestartsTheWindow() {
        let seconds = steady(0...11) + failing(12...12, failed: 60) + steady(13...17) + failing(18...18, failed: 2) + steady(19...40)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 35, objectiveRate: ninetyNine)
        #expect(m.rto == 9)
        #expect(m.requestsLost == 62)
    }

    @Test func theWindowLengthIsAParameter() {
        let seconds = steady(0...11) + failing(12...12, failed: 60) + steady(13...15)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 14, objectiveRate: ninetyNine, window: 3)
        #expect(m.rto == 3 && m.window == 3)
    }

    @Test func anEarlierProbeFailureIsTheDetection() {
        let seconds = steady(0...11) + failing(12...12, failed: 60) + steady(13...30)
        let probe = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 25, firstProbeFailure: 10.75, objectiveRate: ninetyNine)
        #expect(probe.timeToDetect == 0.75)
        let late = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 25, firstProbeFailure: 14, objectiveRate: ninetyNine)
        #expect(late.timeToDetect == 2)
        let before = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 25, firstProbeFailure: 9, objectiveRate: ninetyNine)
        #expect(before.timeToDetect == 2)
        let only = DrillMeasurements.analyze(seconds: steady(0...30), injectedAt: 10, restoredAt: 25, firstProbeFailure: 11, objectiveRate: ninetyNine)
        #expect(only.timeToDetect == 1 && only.rto == 0)
    }

    @Test func noTrafficAtAll() {
        let m = DrillMeasurements.analyze(seconds: [], injectedAt: 10, restoredAt: 20, objectiveRate: ninetyNine)
        #expect(m.timeToDetect == nil && m.rto == 0 && m.lowestSuccessRate == nil && m.faultSuccessRate == nil && m.worstP99 == 0)
        let verdicts = Objectives(rto: .seconds(30), minSuccessRate: ninetyNine).verdicts(m)
        #expect(verdicts[1].objective == "success rate" && !verdicts[1].passed, "no request finished: nothing shows the fleet survived")
    }
}
