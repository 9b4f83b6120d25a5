import ArgumentParser
import Foundation
import SwitchyardBuildInfo

@main
struct Yard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard",
        abstract: "Switchyard: blue-green releases, disaster drills and capacity forecasts for a fleet of SSE gateways.",
        discussion: """
        Exit status: 0 success; 1 an error (one line on stderr says what to do; under --json a JSON document \
        {"error": {"message", "code", "details"}} on stdout); 2 a job's negative verdict (a release rolled back \
        or aborted, a drill failed); 64 arguments that cannot be parsed.

        Manifests live in topologies/ and playbooks/ (see docs/manifests.md); state in .yard/.

        Examples:
          yard demo                        # the release story on the local topology
          yard validate                    # check topologies/ and playbooks/
          yard show local                  # the local topology as a table
          yard up gateway --version 1.0.0  # start the local fleet and nginx
          yard release gateway --version 1.1.0
          yard load --target 127.0.0.1:7800 --rps 100 --streams 50
          yard forecast playbooks/capacity-peak-sale.yaml --html peak.html
          yard drill run drill-zone-outage --dry-run   # every step of a drill, nothing done
          yard drill schedule
          yard release gateway 1.1.0 --server http://127.0.0.1:7780 --token yard_…   # through yardd
          yard token create ci --role operator   # an API token for yardd
          yard audit --server http://127.0.0.1:7780
        """,
        version: BuildInfo.line("yard"),
        subcommands: [Demo.self, Validate.self, Show.self, Up.self, Down.self, Release.self, Audit.self, Token.self, Load.self, ForecastCommand.self, ForecastBenchCommand.self, Drill.self]
    )

    /// Parses, runs, and maps every error to its exit status (see `ErrorReport`).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = arguments.contains("--json")
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let status = exitCode(for: error)
            if status != .success, let unknown = CommandTree.unknownSubcommand(in: arguments, root: Yard.self) {
                Foundation.exit(ErrorReport.unknownCommand(unknown, json: json))
            }
            // `yard release statuss`: the default subcommand's check named the misspelling; its usage would mislead.
            if status != .success, message(for: error).hasPrefix("Unknown command '") {
                ErrorReport.print(CommandFailure(message(for: error), code: "usage"), json: json)
                Foundation.exit(status.rawValue)
            }
            // An ExitCode from validate() (yard load's usage check) printed its own message.
            if status != .success, json, !(error is ExitCode) {
                ErrorReport.print(CommandFailure(message(for: error), code: "usage"), json: true)
                Foundation.exit(status.rawValue)
            }
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            // `--help`, or a command group run without its subcommand, surfaces here as the parser's help request:
            // printed as the parser prints it, status 0.
            if exitCode(for: error) == .success { exit(withError: error) }
            Foundation.exit(ErrorReport.runFailed(error, json: json))
        }
    }
}
