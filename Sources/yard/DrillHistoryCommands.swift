import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

extension Drill {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List drill runs, newest first.",
            discussion: """
            Examples:
              yard drill history
              yard drill history drill-zone-outage --limit 5 --json
            """
        )

        @Argument(help: "Only runs of this drill playbook.") var playbook: String?
        @Option(help: "How many runs.") var limit = 20
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let records = try await Workspace.existingStore()?.listDrillRuns(playbook: playbook, limit: limit) ?? []
            let lines = records.map(HistoryLine.init)
            if json { try printDrillJSON(lines); return }
            if lines.isEmpty {
                print(playbook.map { "no runs of drill \($0) yet" } ?? "no drill runs yet")
                return
            }
            var table = TextTable(headers: ["id", "playbook", "status", "started", "finished", "RTO", "verdict"])
            table.rows = lines.map { line in
                [line.id, line.playbook, line.status, DrillFormat.instant(line.startedAt), line.finishedAt.map(DrillFormat.instant) ?? "-",
                 line.rto ?? "-", line.verdict ?? "-"]
            }
            print(table.rendered)
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the report of a drill run: text, JSON, or a self-contained HTML page.",
            discussion: """
            Examples:
              yard drill report dr-20261125-0001
              yard drill report dr-20261125-0001 --html drill.html
              yard drill report dr-20261125-0001 --json
            """
        )

        @Argument(help: "The drill run's id (yard drill history lists them).") var id: String
        @Option(name: .customLong("html"), help: ArgumentHelp("Write the report as an HTML page to this file.", valueName: "file")) var htmlFile: String?
        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            guard let record = try await Workspace.existingStore()?.drillRun(id: id) else {
                throw CommandFailure("no drill run \(id) here; yard drill history lists them", code: "not-found")
            }
            guard let stored = record.report else {
                throw CommandFailure("drill run \(id) has no report yet (status \(record.status)); wait for it to finish", code: "no-report")
            }
            let report: DrillReport
            do { report = try stored.decode(DrillReport.self) } catch {
                throw CommandFailure("drill run \(id): the stored report cannot be read (\(error)); a newer yard may have written it", code: "unreadable-report")
            }
            if json { try printDrillJSON(report) }
            if let htmlFile {
                let url = URL(fileURLWithPath: htmlFile)
                do { try Data(report.html().utf8).write(to: url, options: .atomic) } catch {
                    throw CommandFailure("cannot write \(htmlFile): \(error.localizedDescription)", code: "cannot-write")
                }
                print(url.standardizedFileURL.path)
            }
            if !json, htmlFile == nil { print(report.text, terminator: "") }
        }
    }

    /// A run as `yard drill history` lists it; the RTO and verdict come from the stored report.
    struct HistoryLine: Encodable {
        var id: String, playbook: String, status: String
        var startedAt: Date, finishedAt: Date?
        var outcome: String?
        var rto: String?
        var verdict: String?
        var failedObjectives: [String]?

        init(_ record: DrillRunRecord) {
            id = record.id; playbook = record.playbook; status = record.status
            startedAt = record.startedAt; finishedAt = record.finishedAt
            guard let stored = record.report else { return }
            guard let report = try? stored.decode(DrillReport.self) else { verdict = "unreadable report"; return }
            outcome = report.outcome.rawValue
            if let m = report.measurements { rto = m.rto.map(DrillFormat.seconds) ?? "not recovered" }
            verdict = report.verdictSummary
            failedObjectives = report.failedObjectives
        }
    }
}

/// Pretty, key-sorted JSON with ISO 8601 dates, the way drill reports are stored.
private func printDrillJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
