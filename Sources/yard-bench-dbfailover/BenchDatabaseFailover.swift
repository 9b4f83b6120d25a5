import ArgumentParser
import Foundation

/// `yard-bench-dbfailover`: a PostgreSQL primary SIGKILLed and its replica promoted, --runs times per commit setting;
/// how long until the replica is primary and writers are served again, and how many acknowledged writes were lost.
@main
struct BenchDatabaseFailover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard-bench-dbfailover",
        abstract: "Loses a PostgreSQL primary --runs times per synchronous_commit setting and prints kill → promoted, kill → first acknowledged write and lost writes.",
        discussion: """
        Each run starts a fresh primary and streaming replica of its own (initdb, pg_basebackup -R, pg_ctl on temporary \
        folders and free ports of 127.0.0.1; as the postgres user under root), writes --writes-per-second numbered rows \
        through the libpq multi-host connection string (target_session_attrs=read-write) for a second, SIGKILLs the \
        primary's postmaster and its children and promotes the replica with pg_ctl promote (the db-primary-loss \
        fault's own code), writes a second more, reads the rows back from the new primary, and removes both servers. \
        Promoted is when the replica answers pg_is_in_recovery() false. Needs Debian's postgresql.

        Example:
          .build/debug/yard-bench-dbfailover --runs 10
          .build/debug/yard-bench-dbfailover --runs 3 --setting off --setting sync-standby --json
        """
    )

    @Option(help: "Failovers per setting.") var runs = 10
    @Option(help: "Numbered writes per second through the clients' connection string.") var writesPerSecond = 50
    @Option(help: "A commit setting to measure: off, on or sync-standby (repeat for several; default all three).") var setting: [CommitSetting] = []
    @Flag(help: "Print the figures as JSON.") var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard (1...1000).contains(writesPerSecond) else { throw ValidationError("--writes-per-second must be between 1 and 1000") }
    }

    func run() async throws {
        var figures: [FailoverFigures] = []
        for commit in setting.isEmpty ? CommitSetting.allCases : setting {
            var results: [FailoverRun] = []
            for index in 1...runs {
                let result = try await FailoverRun.measure(commit, writesPerSecond: writesPerSecond)
                FileHandle.standardError.write(Data(("\(commit.rawValue) run \(index): promoted \(Self.ms(result.promoted)), first write "
                    + "\(Self.ms(result.firstWrite)), lost \(result.lost.map(String.init) ?? "unknown")\n").utf8))
                results.append(result)
            }
            figures.append(FailoverFigures(setting: commit.name, writesPerSecond: writesPerSecond, runs: results))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
        } else {
            print("\(runs) failovers per setting, \(writesPerSecond) numbered writes/s")
            print(FailoverFigures.table(figures))
        }
    }

    static func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.0f ms", $0 * 1000) } ?? "never" }
}
