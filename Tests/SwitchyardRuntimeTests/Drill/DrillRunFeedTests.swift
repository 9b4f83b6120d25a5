import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardRuntime

/// What a viewer in another process reads of a running drill: the report's steps and seconds after its cursor, each
/// second marked faulted as the runner's own view marks it.
struct DrillRunFeedTests {
    static func report(steps: Int, seconds: Int, faulted: ClosedRange<Int>?) -> DrillReport {
        var report = DrillReport(id: "drill-1", playbook: "zone-loss", topology: "t", faultKind: "zone-outage", faultDescription: "",
                                 startedAt: Date(timeIntervalSince1970: 0), outcome: .error)
        report.steps = (0..<steps).map { DrillStep(at: Date(timeIntervalSince1970: Double($0)), step: "step-\($0)", status: "done") }
        report.seconds = (0..<seconds).map { DrillSecond(second: $0, sent: 10, succeeded: 10) }
        report.faultedSeconds = faulted
        return report
    }

    @Test func eventsAfterTheCursorAreTheNewStepsThenTheNewSeconds() {
        let report = Self.report(steps: 4, seconds: 6, faulted: 3...4)
        let all = DrillRunFeed.events(in: report, after: .init())
        #expect(all.count == 10)
        #expect(all.last?.cursor == DrillRunFeed.Cursor(steps: 4, seconds: 6))
        let later = DrillRunFeed.events(in: report, after: .init(steps: 3, seconds: 2))
        #expect(later.map(\.event) == [.step(report.steps[3])] + (2..<6).map { .second(report.seconds[$0], faulted: (3...4).contains($0)) })
        #expect(later.map(\.cursor.description) == ["4.2", "4.3", "4.4", "4.5", "4.6"])
        #expect(DrillRunFeed.events(in: report, after: .init(steps: 4, seconds: 6)).isEmpty)
    }

    @Test func theCursorIsWrittenStepsDotSeconds() {
        #expect(DrillRunFeed.Cursor(parsing: "7.42") == DrillRunFeed.Cursor(steps: 7, seconds: 42))
        #expect(DrillRunFeed.Cursor(parsing: "7.42")?.description == "7.42")
        for bad in ["7", "7.", ".4", "-1.2", "a.b", "1.2.3"] { #expect(DrillRunFeed.Cursor(parsing: bad) == nil, "\(bad)") }
    }

    @Test func theFaultedRangeSurvivesTheStoredJSON() throws {
        let report = Self.report(steps: 1, seconds: 5, faulted: 2...3)
        let stored = try JSONText(encoding: report).decode(DrillReport.self)
        #expect(stored.faultedSeconds == 2...3)
        #expect((0..<5).map(stored.faulted) == [false, false, true, true, false])
        // A report written before the field existed reads as never faulted.
        var old = try JSONSerialization.jsonObject(with: Data(try JSONText(encoding: report).text.utf8)) as! [String: Any]
        old["faultedSeconds"] = nil
        let legacy = try JSONText(text: String(decoding: try JSONSerialization.data(withJSONObject: old), as: UTF8.self)).decode(DrillReport.self)
        #expect(legacy.faultedSeconds == nil)
    }
}
