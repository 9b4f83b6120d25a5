import Foundation
import Testing
@testable import SwitchyardCore

/// A `db-primary-loss`'s writes in the HTML report: a third panel on the HTTP panels' time axis, the writers' figures and
/// the seconds in a table beside the HTTP traffic's.
struct DrillReportWritesTests {
    /// The HTTP report of `DrillReportTests` (injected at 10 s of traffic) with the write probe of `WriteSecondTests`.
    static func report() -> DrillReport {
        var report = DrillReportTests.report()
        report.faultKind = "db-primary-loss"
        report.writes = WriteSecondTests.report()
        return report
    }

    @Test func theTimelineGetsAWritesPanelWithItsMarks() {
        let svg = DrillChart.svg(Self.report())
        #expect(svg.contains("<g class=\"writes\">"))
        #expect(svg.contains("class=\"write-ack\"") && svg.contains("class=\"write-failed\""))
        #expect(svg.contains("<title>0 s after the loss: 0 acknowledged, 2 failed, 4 sent</title>"))
        #expect(svg.contains("class=\"mark promoted\"") && svg.contains("class=\"mark writes-back\""))
        // Taller by the panel and its gap; without writes, as before.
        #expect(svg.contains("height=\"730\""))
        let plain = DrillChart.svg(DrillReportTests.report())
        #expect(plain.contains("height=\"560\"") && !plain.contains("class=\"writes\""))
    }

    /// Second 0 of the writes is drawn from the injection's place on the traffic's axis (10 s of 60 here).
    @Test func theWriteBarsStandWhereTheKillWasOnTheTrafficAxis() throws {
        let svg = DrillChart.svg(Self.report())
        let left = 78.0, right = 24.0, width = 1100.0
        let killX = left + 10.0 / 60.0 * (width - left - right), secondWidth = (width - left - right) / 60
        let bar = String(format: "x=\"%.1f\"", killX + secondWidth * 0.1)
        let failedBar = try #require(svg.components(separatedBy: "<rect class=\"write-failed\" ").dropFirst().first { $0.contains("0 s after the loss:") && !$0.contains("-1 s") })
        #expect(failedBar.hasPrefix(bar), "\(failedBar.prefix(60)) does not start with \(bar)")
    }

    @Test func theHTMLShowsTheWritersFiguresAndTheSecondsBesideTheHTTPTraffic() {
        let html = Self.report().html()
        #expect(html.contains("<h2>Writes</h2>"))
        // #10, sent 2.25 s after the probe's start, acknowledged 50 ms later by the new primary: 1.3 s after the kill.
        #expect(html.contains("<dt>writers' RTO</dt><dd>1.3 s from the loss to the first write acknowledged by the new primary</dd>"))
        #expect(html.contains("<dt>lost writes</dt><dd>0 acknowledged before the loss and absent on the new primary</dd>"))
        #expect(html.contains("<dt>failover errors</dt><dd>66.67% of the writes from the loss to that first write failed</dd>"))
        #expect(html.contains("<dt>longest write gap</dt>"))
        #expect(html.contains("<table class=\"write-seconds\" style=\"clear:both\">"))
        // Second 0 after the kill beside traffic second 10, which failed 45 of 100 in DrillReportTests' traffic.
        #expect(html.contains("<tr class=\"kill\"><td>0 s</td><td>4</td><td>0</td><td>2</td><td>100%</td><td>10</td><td>55</td><td>45</td></tr>"))
        #expect(!DrillReportTests.report().html().contains("write-seconds"))
    }
}
