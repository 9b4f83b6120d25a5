import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

struct Drill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disaster drills: run one now, watch or abort one, list their schedules, past runs and reports.",
        discussion: """
        With --server (or $YARD_SERVER) run, history, report, abort and watch go through yardd's API instead of \
        the state in .yard/ here: the daemon runs the drill, and the CLI follows its event stream with the same \
        live view and exit status as a local run. --token-file (or $YARD_TOKEN_FILE, $YARD_TOKEN) is the bearer \
        token: viewer for history, report and watch, operator to run and abort.
        """,
        subcommands: [Run.self, Watch.self, Abort.self, Schedule.self, History.self, Report.self]
    )

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the next runs of each drill playbook, in its time zone and in UTC.",
            discussion: """
            Runs inside a blackout window are shown with the window's name: the daemon skips them.

            Examples:
              yard drill schedule
              yard drill schedule drill-zone-outage --count 8 --json
            """
        )

        @Argument(help: "A drill playbook's name (default: every playbook with a schedule).") var playbook: String?
        @Option(help: "How many runs per playbook.") var count = 5
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let playbooks = try Workspace.manifests().drillPlaybooks.filter { playbook == nil || $0.name == playbook }
            if let playbook, playbooks.isEmpty { throw CommandFailure("no DrillPlaybook named \(playbook) in playbooks/", code: "not-found") }
            var listing: [String: [RunLine]] = [:]
            for drill in playbooks {
                guard let schedule = drill.schedule else {
                    if !json { print("\(drill.name): no schedule (run on demand)") }
                    continue
                }
                let compiled = try CompiledSchedule(schedule)
                let runs = compiled.upcomingRuns(after: Date(), count: count)
                listing[drill.name] = runs.map { RunLine(local: $0.localISO8601, utc: $0.utcISO8601, blackout: $0.blackout) }
                if !json {
                    print("\(drill.name): \(schedule.cron) in \(schedule.timeZone)")
                    var table = TextTable(headers: ["local", "UTC", "blackout"])
                    table.rows = runs.map { [$0.local, $0.utc, $0.blackout.map { "skipped: \($0)" } ?? ""] }
                    print(table.rendered)
                    print("")
                }
            }
            if json { try printJSON(listing) }
        }
    }

    /// A run in `--json`: ISO 8601 times, `local` with the schedule's offset (as the API's `nextRuns` has them).
    struct RunLine: Encodable { var local: String, utc: String, blackout: String? }
}
