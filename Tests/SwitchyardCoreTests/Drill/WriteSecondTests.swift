import Foundation
import Testing
@testable import SwitchyardCore

/// The write probe's seconds from the kill: what was sent in each, and what the client learnt in each.
struct WriteSecondTests {
    static let old = "10.0.0.1:5432", new = "10.0.0.2:5432"

    /// Four writes a second from 0 s to 4 s, the kill at 1 s. #1–#4 acknowledged by the old primary at once; #5–#8
    /// failed half a second after they were sent; #9 (sent 2 s) hung and was acknowledged at 3.1 s; #10–#16 acknowledged
    /// by the new primary 50 ms after they were sent.
    static func attempts() -> [WriteAttempt] {
        (1...16).map { n in
            let sent = Double(n - 1) / 4
            switch n {
            case ...4: return WriteAttempt(sequence: n, sentAt: sent, acknowledgedAt: sent + 0.01, server: old)
            case 5...8: return WriteAttempt(sequence: n, sentAt: sent, error: "connection refused", failedAt: sent + 0.5)
            case 9: return WriteAttempt(sequence: n, sentAt: sent, acknowledgedAt: 3.1, server: new)
            default: return WriteAttempt(sequence: n, sentAt: sent, acknowledgedAt: sent + 0.05, server: new)
            }
        }
    }

    @Test func eachWriteIsSentInOneSecondAndFinishesInTheSecondItsOutcomeCameIn() {
        let series = WriteSecond.series(Self.attempts(), faultAt: 1.0, endedAt: 4.0)
        #expect(series == [
            WriteSecond(second: -1, sent: 4, acknowledged: 4, failed: 0),
            // #5, #6 failed at 1.5 s and 1.75 s; #7, #8 at 2 s and 2.25 s, in the next second.
            WriteSecond(second: 0, sent: 4, acknowledged: 0, failed: 2),
            WriteSecond(second: 1, sent: 4, acknowledged: 3, failed: 2),
            // #9's late acknowledgement, and #13–#16.
            WriteSecond(second: 2, sent: 4, acknowledged: 5, failed: 0),
        ])
        #expect(series.map(\.errorRate) == [0, 1, 0.4, 0])
        #expect(series.map(\.sent).reduce(0, +) == 16 && series.map(\.finished).reduce(0, +) == 16)
    }

    @Test func secondsWithNothingFinishedAreListedAndTellNoErrorRate() {
        // One write that hangs from the kill until its deadline 2.5 s later, and the probe's end after it.
        let hung = [WriteAttempt(sequence: 1, sentAt: 1.0, error: "timed out", failedAt: 3.5)]
        let series = WriteSecond.series(hung, faultAt: 1.0, endedAt: 4.2)
        #expect(series.map(\.second) == [0, 1, 2, 3])
        #expect(series.map(\.errorRate) == [nil, nil, 1, nil])
        #expect(series[0].sent == 1 && series[2].failed == 1)
    }

    @Test func aFailureWithoutItsTimeCountsWhenItWasSentAndNoWritesMeanNoSeconds() {
        let series = WriteSecond.series([WriteAttempt(sequence: 1, sentAt: 0.5, error: "refused")], faultAt: 1.0, endedAt: 1.5)
        #expect(series == [WriteSecond(second: -1, sent: 1, failed: 1), WriteSecond(second: 0)])
        #expect(WriteSecond.series([], faultAt: 1.0, endedAt: 3.0).isEmpty)
    }

    static func report() -> WriteProbeReport {
        WriteProbeReport.analyze(attempts: attempts(), faultAt: 1.0, endedAt: 4.0, target: "postgresql://app@a,b/orders", perSecond: 4,
                                 oldPrimary: old, newPrimary: new, promotedAfter: 0.9, present: Set(1...16), readBackFailure: nil)
    }

    @Test func theReportCarriesTheSecondsInItsJSONAndOlderReportsStillDecode() throws {
        let report = Self.report()
        #expect(report.seconds == WriteSecond.series(Self.attempts(), faultAt: 1.0, endedAt: 4.0))
        let data = try JSONEncoder().encode(report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let seconds = try #require(json["seconds"] as? [[String: Any]])
        #expect(seconds.first?["second"] as? Int == -1 && seconds.first?["acknowledged"] as? Int == 4)
        #expect(try JSONDecoder().decode(WriteProbeReport.self, from: data) == report)
        // A report stored before the seconds (and the error samples) were kept.
        var older = json
        older["seconds"] = nil
        older["errorSamples"] = nil
        let decoded = try JSONDecoder().decode(WriteProbeReport.self, from: JSONSerialization.data(withJSONObject: older))
        #expect(decoded.seconds.isEmpty && decoded.errorSamples.isEmpty && decoded.acknowledged == report.acknowledged)
    }

    @Test func theTextDrawsTheSecondsWithTheKillMarked() {
        let report = Self.report()
        #expect(report.timeline.hasPrefix("writes per second from -1 s (| the loss): █|▁▅█ "))
        #expect(report.lines.contains(report.timeline))
    }
}
