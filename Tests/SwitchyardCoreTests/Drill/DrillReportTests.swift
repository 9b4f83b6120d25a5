import Foundation
import Testing
@testable import SwitchyardCore

struct DrillReportTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func report(playbook: String = "zone-a-outage", outcome: DrillOutcome = .failed) -> DrillReport {
        let seconds = steady(0...9) + failing(10...13, failed: 45, streamsCut: 1, p99: 2_400) + steady(14...59, p99: 140)
        let objectives = Objectives(rto: .seconds(3), minSuccessRate: ninetyNine, maxRequestsLost: 500, maxStreamsCut: 10)
        let m = DrillMeasurements.analyze(seconds: seconds, injectedAt: 10, restoredAt: 40, objectiveRate: objectives.minSuccessRate)
        let at = { (offset: Double) in start.addingTimeInterval(offset) }
        return DrillReport(
            id: "dr-20261125-0001", playbook: playbook, topology: "local", faultKind: "zone-outage",
            faultDescription: "every instance of zone a stopped", startedAt: start, finishedAt: at(75), outcome: outcome,
            steps: [DrillStep(at: at(0), step: "steady-state", status: "done", detail: "3 probes at 100%"),
                    DrillStep(at: at(3), step: "inject", status: "started"),
                    DrillStep(at: at(4), step: "inject", status: "done", detail: "2 instances stopped"),
                    DrillStep(at: at(34), step: "restore", status: "done")],
            seconds: seconds, measurements: m, verdicts: objectives.verdicts(m),
            recoveryMechanism: "nginx passive health (max_fails=1 fail_timeout=5s) and retry on the next upstream",
            notes: ["zone b carried the traffic <alone>"])
    }

    @Test func theReportSurvivesAJSONRoundTripWithISODates() throws {
        let report = Self.report()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(report)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(DrillReport.self, from: data) == report)
        #expect(String(decoding: data, as: UTF8.self).contains("\"startedAt\":\"2026-11-18T11:06:40Z"))
        var tripped = report
        tripped.outcome = .aborted
        tripped.guardrailTrip = GuardrailTrip(rule: "min-success-rate", message: "under the floor", second: 20)
        tripped.measurements = nil
        tripped.restoredAfterCrash = true
        #expect(try decoder.decode(DrillReport.self, from: encoder.encode(tripped)) == tripped)
    }

    @Test func theTextShowsTheVerdicts() {
        let report = Self.report()
        let text = report.text
        #expect(text.hasPrefix("drill zone-a-outage: FAILED"))
        #expect(text.contains("rto") && text.contains("FAIL") && text.contains("pass"))
        #expect(text.contains("≤ 3s") && text.contains("4s"))
        #expect(text.contains("requests lost") && text.contains("180"))
        #expect(text.contains("█") && text.contains("▄"), "\(text)")
        #expect(text.contains("F fault injected") && text.contains("R recovered") && text.contains("X restored"))
        #expect(text.contains("steady-state") && text.contains("+34s"))
        #expect(report.verdictSummary == "failed (rto, success rate)")
    }

    @Test func theSparklineLinesUpWithTheSeconds() {
        let lines = Self.report().sparkline()
        let bar = lines[1], marks = lines[2]
        #expect(bar.hasPrefix("0s ██████████▄▄▄▄███"))
        #expect(bar.hasSuffix(" 60s"))
        #expect(marks == "   " + String(repeating: " ", count: 10) + "F   R" + String(repeating: " ", count: 25) + "X")
        // The first failure falls in the injection's column: it goes on a row of its own.
        #expect(lines[3] == "   " + String(repeating: " ", count: 10) + "D")
        #expect(lines[4] == "   F fault injected, D first failure, R recovered, X restored")
    }

    @Test func longRunsAreSqueezedToAHundredColumns() {
        var report = Self.report()
        report.seconds = steady(0...999) + failing(1_000...1_000, failed: 100) + steady(1_001...1_199)
        report.measurements = DrillMeasurements.analyze(seconds: report.seconds, injectedAt: 995, restoredAt: 1_100, objectiveRate: ninetyNine)
        let bar = report.sparkline()[1]
        #expect(bar == "0s " + String(repeating: "█", count: 83) + "▁" + String(repeating: "█", count: 16) + " 1200s")
    }

    @Test func theHTMLHasTheTimelineTheMarksAndTheTables() {
        let html = Self.report().html()
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<svg") && html.contains("</svg>"))
        #expect(html.contains("class=\"fault-window\""))
        for mark in ["inject", "detect", "recover", "restore"] { #expect(html.contains("class=\"mark \(mark)\""), "\(mark)") }
        #expect(html.contains("class=\"success-rate\"") && html.contains("class=\"p99\""))
        #expect(html.contains("<table class=\"verdicts\">") && html.contains("<td class=\"fail\">fail</td>"))
        #expect(html.contains("<table class=\"steps\">") && html.contains("2026-11-18T11:06:40Z") && html.contains("+34s"))
        #expect(html.contains("zone b carried the traffic &lt;alone&gt;"))
        #expect(!html.contains("<script"))
    }

    @Test func namesAreEscapedInTheHTML() {
        let html = Self.report(playbook: "<script>alert(1)</script>").html()
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func aGuardrailTripIsMarked() {
        var report = Self.report(outcome: .aborted)
        report.guardrailTrip = GuardrailTrip(rule: "min-success-rate", message: "success rate under 90% for 3 consecutive seconds", second: 12)
        #expect(report.html().contains("class=\"mark guardrail\""))
        #expect(report.text.contains("min-success-rate tripped at second 12"))
        #expect(report.verdictSummary == "aborted")
    }

    @Test func aReportWithoutTrafficStillRenders() {
        let report = DrillReport(id: "dr-1", playbook: "p", topology: "t", faultKind: "exec", faultDescription: "stop the primary",
                                 startedAt: Self.start, outcome: .error, notes: ["steady state not reached"])
        #expect(report.text.contains("drill p: ERROR"))
        #expect(!report.html().contains("<svg"))
    }
}
