import ArgumentParser
import Foundation
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting

/// `yard-bench-takeover`: the leader of several yardd killed mid-bake, again and again; how long until a standby
/// leads, and whether every release still ends once.
@main
struct BenchTakeover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yard-bench-takeover",
        abstract: "Kills the leading yardd mid-release --rounds times in a row and prints takeover times and releases driven twice.",
        discussion: """
        Starts a PostgreSQL server of its own (initdb and pg_ctl on a temporary folder, a free port of 127.0.0.1; as \
        the postgres user under root), a test fleet live in blue (a real nginx and 8 yard-gateway on 127.0.0.1 from \
        --base-port) and --daemons yardd on that database. Each round starts a release through all of them (the \
        client finds the leader), waits until it bakes, SIGKILLs (or with --fault freeze, SIGSTOPs) the leader, and measures the time until another \
        /readyz says it leads; then waits for the release to end, reads its journal (every entry once, one end), \
        checks that only the new leader resumed it, and starts the killed daemon again as a standby. Everything it \
        started is stopped afterwards. Build with `swift build -c release --scratch-path .build-release`.

        Example:
          .build-release/release/yard-bench-takeover --rounds 10
          .build-release/release/yard-bench-takeover --rounds 10 --fault freeze
          .build-release/release/yard-bench-takeover --rounds 3 --lease 3s --json
        """
    )

    @Option(help: "Kills of the leader, one per release.") var rounds = 10
    @Option(help: "yardd processes on the database.") var daemons = 3
    @Option(help: "The leadership lease given to every yardd (--lease).") var lease = "6s"
    @Option(help: "The release's bake.") var bake = "6s"
    @Option(help: "First of the loopback ports the fleet and the daemons use (fleet: base..base+11; daemons: base+30...).") var basePort = 28400
    @Option(help: "How the leader goes: kill (SIGKILL: provably dead on this host, taken over at once) or freeze (SIGSTOP until a standby leads, then SIGKILL: as a host lost, the lease is waited out).")
    var fault: LeaderFault = .kill
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() async throws {
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for name in ["yardd", "yard-gateway"] where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(name).path) {
            throw ValidationError("no \(name) beside this executable in \(binaries.path): build every product")
        }
        let server = try PostgresServer.start()
        defer { server.stop() }
        try server.createDatabase("takeover")
        let fleet = try await TakeoverFleet(basePort: basePort, bake: bake, lease: lease, state: server.url(database: "takeover"), binaries: binaries)
        do {
            try await fleet.up()
            let report = try await measure(fleet)
            await fleet.tearDown()
            print(json ? report.json : report.table)
        } catch {
            await fleet.tearDown()
            throw error
        }
    }

    func measure(_ fleet: TakeoverFleet) async throws -> TakeoverReport {
        for index in 0..<daemons { try await fleet.start(port: basePort + 30 + index) }
        var results: [TakeoverRound] = []
        for round in 1...rounds {
            let (leader, _) = try await fleet.leader()
            let client = try YarddClient(server: fleet.daemons.map(\.server).joined(separator: ","), token: fleet.token)
            let accepted = try await client.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.\(round)"))
            try await waitForBake(accepted.id, store: fleet.store)
            try await Task.sleep(for: .seconds(1))
            let killedAt = ContinuousClock.now
            let (newLeader, leadingAt): (YarddExecutable, ContinuousClock.Instant)
            switch fault {
            case .kill:
                leader.kill9()
                (newLeader, leadingAt) = try await fleet.leader(among: fleet.daemons.filter { $0.port != leader.port })
            case .freeze:
                kill(leader.pid, SIGSTOP)
                (newLeader, leadingAt) = try await fleet.leader(among: fleet.daemons.filter { $0.port != leader.port })
                leader.kill9()
            }
            let (outcome, reason) = try await waitForEnd(accepted.id, store: fleet.store)
            let journal = try await fleet.store.journal(release: accepted.id)
            let sequences = journal.map(\.sequence)
            let result = TakeoverRound(
                round: round, release: accepted.id, killed: leader.port, newLeader: newLeader.port,
                takeoverSeconds: (leadingAt - killedAt).seconds, outcome: outcome, reason: reason,
                resumedBy: fleet.daemons.filter { $0.logText.contains("resumed release \(accepted.id)") }.map(\.port),
                finishedEntries: journal.filter { $0.message.hasPrefix("finished: ") }.count,
                duplicateSequences: sequences.count - Set(sequences).count)
            results.append(result)
            if !json {
                FileHandle.standardError.write(Data("round \(round): takeover \(String(format: "%.2f", result.takeoverSeconds)) s, \(outcome) (\(reason))\(result.drivenTwice ? ", DRIVEN TWICE" : "")\n".utf8))
            }
            try await fleet.start(port: leader.port)
        }
        return TakeoverReport(lease: lease, daemons: daemons, fault: fault.rawValue, rounds: results)
    }

    func waitForBake(_ id: String, store: any StateStore) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let record = try await store.release(id: id), record.phase == .baking { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("release \(id) did not reach its bake within 60 s")
    }

    /// The release's outcome and reason once its runner wrote its end (`finished:` in the journal, written just after
    /// the record is marked finished).
    func waitForEnd(_ id: String, store: any StateStore) async throws -> (outcome: String, reason: String) {
        let deadline = ContinuousClock.now + .seconds(120)
        var finishedAt: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            if let record = try? await store.release(id: id), record.isFinished, let outcome = record.outcome {
                let ended = (try? await store.journal(release: id))?.contains { $0.message.hasPrefix("finished: ") } ?? false
                if ended || ContinuousClock.now - (finishedAt ?? ContinuousClock.now) > .seconds(10) { return (outcome.rawValue, record.reason ?? "") }
                finishedAt = finishedAt ?? ContinuousClock.now
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("release \(id) did not end within 120 s of the kill")
    }
}

enum LeaderFault: String, ExpressibleByArgument, Codable { case kill, freeze }
