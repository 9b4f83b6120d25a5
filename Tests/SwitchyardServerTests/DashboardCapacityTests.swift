import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// The capacity page shows each loaded plan's latest kept report: figures, zones, the warning, the chart.
@Suite(.serialized)
struct DashboardCapacityTests {
    @Test func aKeptReportIsShownWithItsChartAndAPlanWithoutOneSaysHowToGetIt() async throws {
        try await DashboardHarness.with { harness, http in
            let bearer = ["Authorization": "Bearer \(harness.tokens[.viewer]!)"]
            let before = try await http.get("/ui/capacity?part=live", headers: bearer)
            #expect(before.status == 200)
            #expect(before.body.contains("data-no-report=\"capacity-peak-sale\""), "\(before.body.prefix(400))")

            let root = DaemonHarness.repositoryRoot.path
            let resolved = try CapacityPlaybook.resolve("\(root)/playbooks/capacity-peak-sale.yaml", playbooks: "\(root)/playbooks",
                                                        topologies: ["\(root)/topologies"])
            let report = try await CapacityPlaybook.forecast(resolved, backtestFolds: 0)
            try await harness.store.recordCapacityReport(plan: "capacity-peak-sale", report: report, at: Date())
            let kept = try #require(try await harness.store.latestCapacityReport(plan: "capacity-peak-sale"))
            #expect(kept.report.capacity.totalNeeded == report.capacity.totalNeeded)

            let after = try await http.get("/ui/capacity?part=live", headers: bearer)
            #expect(after.body.contains("data-report=\"capacity-peak-sale\""))
            #expect(after.body.contains("peak <b>\(ReportChart.exactQPS(report.peak.value)) QPS</b>"))
            #expect(after.body.contains("<svg"))
            #expect(after.body.contains(">singles-day-2026, zoomed</text>"))
            for line in report.capacity.lines { #expect(after.body.contains("<tr><td>\(line.zone)</td><td>\(line.now)</td><td>\(line.needed)</td>")) }
            for warning in report.warnings { #expect(after.body.contains("⚠ \(DashboardHTML.escape(warning))")) }
        }
    }
}
