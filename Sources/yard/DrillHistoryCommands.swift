import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

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
        @Flag(help: "Print as JSON (the API's drill runs, the same locally and through --server).") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let runs: [DrillRunView]
            let place: String
            if let client = try server.client() {
                runs = try await remote { () async throws(YarddClient.Failure) in try await client.drillRuns(playbook: playbook, limit: limit) }
                place = " on \(client.server)"
            } else {
                runs = (try await Workspace.existingStore()?.listDrillRuns(playbook: playbook, limit: limit) ?? []).map(DrillRunView.init)
                place = ""
            }
            if json { try printJSON(runs); return }
            if runs.isEmpty {
                print((playbook.map { "no runs of drill \($0) yet" } ?? "no drill runs yet") + place)
                return
            }
            var table = TextTable(headers: ["id", "playbook", "status", "started", "finished", "RTO", "verdict"])
            table.rows = runs.map { run in
                let rto = run.rtoSeconds.map(DrillFormat.seconds) ?? (run.recovered == false ? "not recovered" : "-")
                return [run.id, run.playbook, run.status, DrillFormat.instant(run.startedAt), run.finishedAt.map(DrillFormat.instant) ?? "-",
                        rto, run.verdict ?? run.reason ?? "-"]
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

        @OptionGroup var server: ServerOptions

        func run() async throws {
            let report = if let client = try server.client() { try await remoteReport(client) } else { try await localReport() }
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

        func localReport() async throws -> DrillReport {
            guard let record = try await Workspace.existingStore()?.drillRun(id: id) else {
                throw CommandFailure("no drill run \(id) here; yard drill history lists them", code: "not-found")
            }
            guard let stored = record.report else {
                throw CommandFailure("drill run \(id) has no report yet (status \(record.status)); wait for it to finish", code: "no-report")
            }
            do { return try stored.decode(DrillReport.self) } catch {
                throw CommandFailure("drill run \(id): the stored report cannot be read (\(error)); a newer yard may have written it", code: "unreadable-report")
            }
        }

        func remoteReport(_ client: YarddClient) async throws -> DrillReport {
            let detail = try await remote { () async throws(YarddClient.Failure) in try await client.drillRun(id: id) }
            guard detail.report != nil else {
                throw CommandFailure("drill run \(id) has no report yet (status \(detail.run.status)); wait for it to finish", code: "no-report")
            }
            guard let report = detail.drillReport else {
                throw CommandFailure("drill run \(id): the report yardd sent cannot be read; a newer yardd may have written it", code: "unreadable-report")
            }
            return report
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
