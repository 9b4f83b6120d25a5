import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

struct Drill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disaster drills: run one now, watch or abort one, list their schedules, past runs and reports.",
        discussion: """
        With --server (or $YARD_SERVER) run, watch, abort, schedule, history and report go through yardd's API instead of \
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
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let now = Date()
            let listed: [Listed]
            let place: String
            if let client = try server.client() {
                let count = self.count
                listed = try await remote { () async throws(YarddClient.Failure) in try await client.drills(count: count) }.map { view in
                    guard let schedule = view.schedule else { return Listed(name: view.name, schedule: nil, runs: []) }
                    let zone = TimeZone(identifier: schedule.timeZone) ?? TimeZone(identifier: "UTC")!
                    return Listed(name: view.name, schedule: (schedule.cron, schedule.timeZone),
                                  runs: view.nextRuns.map { UpcomingRun($0.fire, timeZone: zone, blackout: $0.blackout) })
                }
                place = "yardd's manifests at \(client.server)"
            } else {
                listed = try Workspace.manifests().drillPlaybooks.map { drill in
                    guard let schedule = drill.schedule else { return Listed(name: drill.name, schedule: nil, runs: []) }
                    return Listed(name: drill.name, schedule: (schedule.cron, schedule.timeZone),
                                  runs: try CompiledSchedule(schedule).upcomingRuns(after: now, count: count))
                }
                place = "playbooks/"
            }
            let shown = listed.filter { playbook == nil || $0.name == playbook }
            if let playbook, shown.isEmpty { throw CommandFailure("no DrillPlaybook named \(playbook) in \(place)", code: "not-found") }
            var listing: [String: [RunLine]] = [:]
            for drill in shown {
                guard let schedule = drill.schedule else {
                    if !json { print("\(drill.name): no schedule (run on demand)") }
                    continue
                }
                listing[drill.name] = drill.runs.map { RunLine(local: $0.localISO8601, utc: $0.utcISO8601, blackout: $0.blackout) }
                if !json {
                    print("\(drill.name): \(schedule.cron) in \(schedule.timeZone)")
                    var table = TextTable(headers: ["local", "UTC", "blackout"])
                    table.rows = drill.runs.map { [$0.local, $0.utc, $0.blackout.map { "skipped: \($0)" } ?? ""] }
                    print(table.rendered)
                    print("")
                }
            }
            if json { try printJSON(listing) }
        }

        /// A playbook as listed: its schedule's cron and time zone (nil: on demand) and its next runs.
        struct Listed { var name: String, schedule: (cron: String, timeZone: String)?, runs: [UpcomingRun] }
    }

    /// A run in `--json`: ISO 8601 times, `local` with the schedule's offset (as the API's `nextRuns` has them).
    struct RunLine: Encodable { var local: String, utc: String, blackout: String? }
}
