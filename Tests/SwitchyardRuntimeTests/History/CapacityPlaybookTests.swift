import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// `yard forecast PLAYBOOK` end to end, through the same calls the command makes:
/// `CapacityPlaybook.resolve` → `CapacityPlaybook.forecast` → `report.text` / JSON / `report.html`.
struct CapacityPlaybookTests {
    /// The repository root (this file is Tests/SwitchyardRuntimeTests/History/…).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var playbooks: String { "\(root)/playbooks" }
    static var topologies: [String] { ["\(root)/topologies"] }

    @Test func theShippedPeakSalePlanSurvivesAZoneLoss() async throws {
        let resolved = try CapacityPlaybook.resolve("\(Self.playbooks)/capacity-peak-sale.yaml", playbooks: Self.playbooks, topologies: Self.topologies)
        #expect(resolved.topology.name == "two-zone-production")
        #expect(resolved.service.name == "gateway")
        let report = try await CapacityPlaybook.forecast(resolved)

        // Replicas per zone for both zones, the same in each, from today's 4.
        let plan = report.capacity
        #expect(plan.lines.map(\.zone) == ["az-a", "az-b"])
        #expect(plan.lines.map(\.now) == [4, 4])
        #expect(plan.survivors == 1)
        #expect(plan.input.perInstanceQPS == 120)
        #expect(plan.input.headroom.value == 0.2)
        #expect(plan.input.targetUtilisation.value == 0.7)
        #expect(report.peakUpper95 >= report.peak.upper95)
        for line in plan.lines {
            // Either zone alone, after losing the other, carries the peak's upper bound with
            // headroom while running at the target utilisation.
            let carried = Double(line.needed) * 120 * 0.7
            #expect(carried >= report.peakUpper95 * 1.2, "zone \(line.zone): \(line.needed) replicas carry \(carried) QPS, need \(report.peakUpper95 * 1.2)")
            // …and not wastefully more: one replica fewer would not.
            #expect(Double(line.needed - 1) * 120 * 0.7 < report.peakUpper95 * 1.2)
            #expect(line.needed > line.now, "a 5x sale needs more than today's 4 per zone")
        }

        // The table the command prints.
        let text = report.text
        for line in plan.lines {
            let row = text.split(separator: "\n").first { $0.hasPrefix(line.zone + " ") }
            #expect(row?.contains("4 → \(line.needed)") == true, "row for \(line.zone): \(row ?? "missing")")
        }
        #expect(text.contains("survives the loss of any one zone"))
        #expect(text.contains("singles-day-2026"))

        // The JSON the command prints with --json.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any]
        let lines = (json?["capacity"] as? [String: Any])?["lines"] as? [[String: Any]]
        #expect(lines?.map { $0["zone"] as? String } == ["az-a", "az-b"])
        #expect(lines?.map { $0["needed"] as? Int } == plan.lines.map(\.needed))

        // The HTML page: self-contained.
        let html = report.html
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        // The only "http" is the SVG namespace name, which is never fetched.
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peak-\(UUID().uuidString).html").path
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("<svg"))
    }

    @Test func aPlanIsFoundByName() throws {
        let resolved = try CapacityPlaybook.resolve("capacity-peak-sale", playbooks: Self.playbooks, topologies: Self.topologies)
        #expect(resolved.plan.name == "capacity-peak-sale")
        #expect(resolved.file.hasSuffix("playbooks/capacity-peak-sale.yaml"))
    }

    @Test func anUnknownPlanNamesTheKnownOnes() {
        #expect {
            try CapacityPlaybook.resolve("black-friday", playbooks: Self.playbooks, topologies: Self.topologies)
        } throws: { error in
            "\(error)".contains("no CapacityPlan named \"black-friday\"") && "\(error)".contains("known: capacity-peak-sale")
        }
    }

    @Test func aMissingFileIsLocated() {
        #expect {
            try CapacityPlaybook.resolve("playbooks/nope.yaml", playbooks: Self.playbooks, topologies: Self.topologies)
        } throws: { error in
            "\(error)" == "playbooks/nope.yaml:1:1: no such file"
        }
    }

    @Test func aBadManifestIsReportedWithFileAndLine() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = "\(folder)/plan.yaml"
        try Self.plan(history: "synthetic: {seed: 1}", service: "gatewya").write(toFile: file, atomically: true, encoding: .utf8)
        #expect {
            try CapacityPlaybook.resolve(file, playbooks: Self.playbooks, topologies: Self.topologies)
        } throws: { error in
            guard case .manifest(let diagnostics) = error as? CapacityPlaybook.Failure else { return false }
            return diagnostics.count == 1 && diagnostics[0].description.hasPrefix("\(file):6:") && diagnostics[0].description.contains("gatewya")
        }
    }

    @Test func aRelativeCSVIsReadFromTheManifestsFolder() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = "\(folder)/plan.yaml"
        try Self.plan(history: "csv: data/qps.csv").write(toFile: file, atomically: true, encoding: .utf8)
        let resolved = try CapacityPlaybook.resolve(file, playbooks: Self.playbooks, topologies: Self.topologies)
        #expect(resolved.baseDirectory == folder)

        // Missing: the error points at the manifest's csv: line and names the resolved path.
        await #expect {
            _ = try await CapacityPlaybook.forecast(resolved, backtestFolds: 0)
        } throws: { error in
            "\(error)".hasPrefix("\(file):8:") && "\(error)".contains("\(folder)/data/qps.csv: cannot read the file")
        }

        // A bad row: the CSV's own file and line.
        try FileManager.default.createDirectory(atPath: "\(folder)/data", withIntermediateDirectories: true)
        try "timestamp,qps\n2026-01-01 00:00,10\n2026-01-01 01:00,n/a\n".write(toFile: "\(folder)/data/qps.csv", atomically: true, encoding: .utf8)
        await #expect {
            _ = try await CapacityPlaybook.forecast(resolved, backtestFolds: 0)
        } throws: { error in
            "\(error)".contains("\(folder)/data/qps.csv:3: qps must be a number")
        }

        // A good file: read from the manifest's folder whatever the working directory is.
        let series = SyntheticHistory(seed: 5, years: 1).generate()
        var csv = "timestamp,qps\n"
        for (t, v) in zip(series.times, series.values) { csv += "\(t),\(v)\n" }
        try csv.write(toFile: "\(folder)/data/qps.csv", atomically: true, encoding: .utf8)
        let report = try await CapacityPlaybook.forecast(resolved, backtestFolds: 0)
        #expect(report.history.source == "\(folder)/data/qps.csv")
        #expect(report.capacity.lines.map(\.zone) == ["az-a", "az-b"])
    }

    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A plan whose `service:` is on line 6 and whose history's source is on line 8.
    static func plan(history: String, service: String = "gateway") -> String {
        """
        apiVersion: switchyard/v1
        kind: CapacityPlan
        name: test-plan
        # a comment
        topology: two-zone-production
        service: \(service)
        history:
          \(history)
        target:
          name: next-sale
          start: 2026-11-11
          multiplier: 4

        """
    }
}
