import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardServer

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit log: who asked for what, and how it went, newest first.",
        discussion: """
        Every mutation through yardd is recorded as `requested` before it acts, then `accepted` or \
        `refused`. With --server (or $YARD_SERVER) the daemon's log is read (a viewer token suffices); \
        otherwise the one in .yard/state.sqlite here.

        Examples:
          yard audit --limit 20
          yard audit --server http://127.0.0.1:7780 --token yard_… --json | jq '.[] | select(.outcome == "refused")'
        """
    )

    @Option(help: "How many entries (1 to 1000).") var limit = 50
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000 (got \(limit))") }
    }

    func run() async throws {
        let entries: [AuditEntryView]
        if let client = try server.client() {
            entries = try await remote { () async throws(YarddClient.Failure) in try await client.audit(limit: limit) }
        } else {
            entries = try await Workspace.existingStore()?.listAudit(limit: limit).map(AuditEntryView.init) ?? []
        }
        if json { try printJSON(entries); return }
        if entries.isEmpty { print("no audit entries yet"); return }
        var table = TextTable(headers: ["at", "actor", "action", "target", "outcome", "detail"])
        let format = ISO8601DateFormatter()
        table.rows = entries.map { [format.string(from: $0.at), $0.actor, $0.action, $0.target, $0.outcome, $0.detail ?? ""] }
        print(table.rendered)
    }
}
