import Testing
@testable import SwitchyardCore

/// The write probe's figures from its attempts alone, and the verdicts on them.
struct WriteProbeReportTests {
    static let old = "10.0.0.1:5432", new = "10.0.0.2:5432"

    /// Writes every 0.1 s from 0 to 3 s; the kill at 1.0 s; the old primary acknowledged up to #10 (sent at 0.9 s),
    /// #11 and #12 failed, the new primary acknowledged from #13 (sent 1.2 s, acknowledged 1.25 s).
    static func attempts() -> [WriteAttempt] {
        (1...30).map { n in
            let sent = Double(n - 1) / 10
            switch n {
            case ...10: return WriteAttempt(sequence: n, sentAt: sent, acknowledgedAt: sent + 0.01, server: old)
            case 11, 12: return WriteAttempt(sequence: n, sentAt: sent, error: "connection refused")
            default: return WriteAttempt(sequence: n, sentAt: sent, acknowledgedAt: sent + 0.05, server: new)
            }
        }
    }

    @Test func theFiguresComeFromTheAttemptsAndTheReadBack() {
        let present = Set(1...30).subtracting([9, 10])
        let report = WriteProbeReport.analyze(attempts: Self.attempts(), faultAt: 1.0, endedAt: 3.0, target: "t", perSecond: 10, oldPrimary: Self.old,
                                              newPrimary: Self.new, promotedAfter: 0.15, present: present, readBackFailure: nil)
        #expect(report.attempts == 30 && report.acknowledged == 28 && report.errors == 2)
        #expect(abs((report.firstWriteOnNewPrimary ?? 0) - 0.25) < 1e-9)
        // Between #10's acknowledgement (0.91 s) and #13's (1.25 s).
        #expect(abs(report.longestGap - 0.34) < 1e-9)
        // #11, #12 failed and #13 went through, from the kill to that first write.
        #expect(abs((report.errorRateDuringFailover ?? 0) - 2.0 / 3.0) < 1e-9)
        #expect(report.lostWrites == [9, 10])
        #expect(report.lost == 2)
        #expect(report.errorSamples == ["#11: connection refused", "#12: connection refused"])
        let verdicts = Objectives(rto: .ms(200), minSuccessRate: Ratio(0.9), maxLostWrites: 0)
            .verdicts(DrillMeasurements(injectedAt: 3, restoredAt: 10, timeToDetect: nil, rto: 0, recoveredBeforeRestore: true, lowestSuccessRate: 1,
                                        requestsLost: 0, streamsCut: 0, worstP99: 10, faultSuccessRate: 1, faultRequests: 100), writes: report)
        #expect(verdicts.filter { !$0.passed }.map(\.objective) == ["writers' rto", "lost writes"])
        #expect(verdicts.first { $0.objective == "writers' rto" }?.measured == "250 ms to the first write on the new primary")
        #expect(verdicts.first { $0.objective == "lost writes" }?.measured == "2 acknowledged, then missing on the new primary")
    }

    /// A failover manager's promotion: judged on whether a member answered as primary within the drill's wait.
    @Test func aFailoverManagersPromotionIsJudgedOnTheWait() {
        var report = WriteProbeReport.analyze(attempts: Self.attempts(), faultAt: 1.0, endedAt: 3.0, target: "t", perSecond: 10, oldPrimary: Self.old,
                                              newPrimary: Self.new, promotedAfter: 1.2, present: Set(1...30), readBackFailure: nil)
        report.awaitedManager = 5
        let m = DrillMeasurements(injectedAt: 3, restoredAt: 10, timeToDetect: nil, rto: 0, recoveredBeforeRestore: true, lowestSuccessRate: 1,
                                  requestsLost: 0, streamsCut: 0, worstP99: 10, faultSuccessRate: 1, faultRequests: 100)
        let objectives = Objectives(rto: .seconds(5), minSuccessRate: Ratio(0.9))
        let promoted = objectives.verdicts(m, writes: report).first { $0.objective == "failover manager" }
        #expect(promoted == ObjectiveVerdict(objective: "failover manager", target: "a member primary within 5 s of the loss",
                                             measured: "\(Self.new) primary after 1.2 s", passed: true))
        #expect(report.lines.contains { $0.contains("; \(Self.new) promoted by the failover manager 1.2 s after;") })
        report.promotedAfter = nil
        let none = objectives.verdicts(m, writes: report).first { $0.objective == "failover manager" }
        #expect(none?.passed == false && none?.measured == "no member primary in the 5 s waited")
        #expect(report.lines.contains { $0.contains("no member promoted by the failover manager within the 5 s waited") })
        // The drill's own promotion has no such objective.
        report.awaitedManager = nil
        #expect(!objectives.verdicts(m, writes: report).contains { $0.objective == "failover manager" })
    }

    @Test func writesThatCouldNotBeReadBackAreAnUnknownLossThatFails() {
        let report = WriteProbeReport.analyze(attempts: Self.attempts(), faultAt: 1.0, endedAt: 3.0, target: "t", perSecond: 10, oldPrimary: Self.old,
                                              newPrimary: Self.new, promotedAfter: nil, present: nil, readBackFailure: "no server accepted a session")
        #expect(report.lost == nil)
        let lost = Objectives(rto: .seconds(1), minSuccessRate: Ratio(0.9), maxLostWrites: 5)
            .verdicts(DrillMeasurements(injectedAt: 3, restoredAt: 10, timeToDetect: nil, rto: 0, recoveredBeforeRestore: true, lowestSuccessRate: 1,
                                        requestsLost: 0, streamsCut: 0, worstP99: 10, faultSuccessRate: 1, faultRequests: 100), writes: report)
            .first { $0.objective == "lost writes" }
        #expect(lost?.passed == false)
        #expect(lost?.measured == "unknown: no server accepted a session")
        #expect(report.lines.contains { $0.contains("lost writes unknown: no server accepted a session") })
    }
}
