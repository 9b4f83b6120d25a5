import Foundation
import PostgresNIO
import SwitchyardCore

/// The restore of a `db-primary-loss`: brings member `member` back as a streaming replica of whichever member is the
/// primary now. Safe to run again and after a crash at any point of the drill, since it starts from what each member
/// answers now:
///
/// 1. No other member is primary (the drill stopped before the promotion): the member is started again as it was, or
///    left alone when it runs.
/// 2. Another member is primary and this one already streams from it: nothing to do.
/// 3. Otherwise this one is stopped if it runs (cleanly), rewound onto the primary's history (`pg_rewind -R`, which
///    also writes `standby.signal` and `primary_conninfo`), or when that fails, moved aside to `DATA.before-rejoin` and
///    copied afresh (`pg_basebackup -R`); then started, and waited for until it streams from the primary.
/// Two primaries at once (a split brain) are left to a person.
struct PostgresRejoin: Sendable {
    var datastore: Datastore
    var member: DatastoreMember
    var timeout: Duration

    static let settleRoles: Duration = .seconds(5)

    enum Failure: Error, Sendable, CustomStringConvertible {
        case noClients(String)
        case splitBrain([String])
        case noPrimary(String)
        case unknownRoles(String, answers: [String])
        case notStreaming(String, from: String, last: String)

        var description: String {
            switch self {
            case .noClients(let store): "datastore \(store) has no clients connection string; restore it by hand"
            case .splitBrain(let names): "\(names.joined(separator: " and ")) both answer as primary; restore by hand (choose one, rewind the other)"
            case .noPrimary(let name): "no member answers as primary and \(name) is a replica; promote one by hand"
            case .unknownRoles(let name, let answers):
                "no other member answers as primary, and not all answer: \(answers.joined(separator: ", ")); \(name) is not started as a primary "
                    + "while one of them may be (retried at the next start)"
            case .notStreaming(let name, let from, let last): "\(name) was started but does not stream from \(from): \(last)"
            }
        }
    }

    func perform() async throws -> String {
        guard let clients = datastore.clients else { throw Failure.noClients(datastore.name) }
        let tools = PostgresMemberTools(member)
        var primaries: [DatastoreMember] = [], answers: [String] = [], silent = false
        // A replica being promoted answers as a replica for a moment: no primary is taken as an answer only after
        // asking for `settleRoles`.
        let asked = ContinuousClock.now
        repeat {
            primaries = []; answers = []; silent = false
            for other in datastore.members where other.name != member.name {
                switch await PostgresSession.role(of: other.address, as: clients) {
                case .primary: primaries.append(other); answers.append("\(other.name) primary")
                case .replica: answers.append("\(other.name) replica")
                case .down(let why): silent = true; answers.append("\(other.name) down (\(why))")
                }
            }
            if !primaries.isEmpty { break }
            try await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now - asked < Self.settleRoles
        let mine = await PostgresSession.role(of: member.address, as: clients)
        guard primaries.count <= 1 else { throw Failure.splitBrain(primaries.map(\.name)) }
        guard let primary = primaries.first else {
            switch mine {
            case .primary: return "\(member.name) is still the primary (no failover happened); nothing to do"
            case .replica: throw Failure.noPrimary(member.name)
            case .down:
                if silent { throw Failure.unknownRoles(member.name, answers: answers) }
                _ = try? await tools.removeStaleLockFile()
                try await tools.start(timeout: timeout)
                return "\(member.name) started again as it was: no other member is primary (no failover happened; \(answers.joined(separator: ", ")))"
            }
        }
        if case .replica = mine, (try? await waitForStreaming(from: primary, clients: clients, within: .seconds(3))) != nil {
            return "\(member.name) already streams from the primary \(primary.name) and replays its WAL; nothing to do"
        }
        switch mine {
        case .primary, .replica: try await tools.stop()
        case .down: _ = try? await tools.removeStaleLockFile()
        }
        let how = try await resynchronize(tools, from: primary, clients: clients)
        try await tools.start(timeout: timeout)
        try await waitForStreaming(from: primary, clients: clients, within: timeout)
        return "\(member.name) is a replica of \(primary.name) again (\(how)), streaming"
    }

    /// pg_rewind onto the primary; a fresh base backup when it cannot.
    private func resynchronize(_ tools: PostgresMemberTools, from primary: DatastoreMember, clients: ClientConnectionString) async throws -> String {
        let source = "host=\(primary.address.host) port=\(primary.address.port) user=\(clients.user) dbname=\(clients.database)"
        // Right after a promotion the new primary's control file still names the old timeline until its first checkpoint,
        // and pg_rewind then finds "no rewind required" and leaves the old primary ahead of the fork (seen here: the
        // rewound server then never follows). A checkpoint first.
        let connection = try await PostgresSession.connect(primary.address, as: clients, timeout: .seconds(5))
        defer { PostgresSession.close(connection) }
        try await Deadline.run(within: .seconds(60)) { _ = try await connection.query("CHECKPOINT", logger: PostgresSession.logger) }
        do {
            try await tools.run("pg_rewind", ["-D", member.dataDirectory, "--source-server=\(source)", "-R"], password: clients.password, timeout: timeout + .seconds(600))
            return "pg_rewind"
        } catch {
            let rewindFailure = Self.reason("\(error)")
            let aside = member.dataDirectory + ".before-rejoin"
            try await tools.moveDataDirectory(to: aside)
            try await tools.run("pg_basebackup", ["-D", member.dataDirectory, "-R", "-X", "stream", "-c", "fast",
                                                  "-h", primary.address.host, "-p", "\(primary.address.port)", "-U", clients.user],
                                password: clients.password, timeout: timeout + .seconds(600))
            return "pg_basebackup, pg_rewind having failed: \(rewindFailure); the old data is in \(aside)"
        }
    }

    /// Why a tool failed, in one line: its `error:` and `fatal:` lines (pg_rewind's output is mostly the log of its crash
    /// recovery of the target), else the end of what it said.
    static func reason(_ failure: String) -> String {
        let lines = failure.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let errors = lines.filter { $0.contains("error:") || $0.contains("fatal:") || $0.hasPrefix("FATAL:") }
        return errors.isEmpty ? String(lines.joined(separator: " ").suffix(300)) : errors.joined(separator: "; ")
    }

    /// Where this member's WAL receiver streams from, when it streams.
    private func streamingSource(_ clients: ClientConnectionString) async -> HostPort? {
        guard let connection = try? await PostgresSession.connect(member.address, as: clients, timeout: .seconds(2)) else { return nil }
        defer { PostgresSession.close(connection) }
        let query: PostgresQuery = "SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'"
        guard let text = try? await PostgresSession.value(query, on: connection, as: String.self, timeout: .seconds(2)) else { return nil }
        return HostPort(parsing: text)
    }

    /// Until the member streams from `primary` and has replayed the primary's WAL as of now (a server on a diverged
    /// timeline may stream for a moment, then stops; it never replays past the fork).
    private func waitForStreaming(from primary: DatastoreMember, clients: ClientConnectionString, within timeout: Duration) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let target: String
        do {
            let connection = try await PostgresSession.connect(primary.address, as: clients, timeout: .seconds(5))
            defer { PostgresSession.close(connection) }
            target = try await PostgresSession.value("SELECT pg_current_wal_lsn()::text", on: connection, as: String.self, timeout: .seconds(5)) ?? "0/0"
        }
        var last = "not asked yet"
        while clock.now - start < timeout {
            if let sender = await streamingSource(clients) {
                if sender == primary.address {
                    if await replayed(past: target, clients) { return }
                    last = "streams from \(primary.name) but has not replayed its WAL up to \(target)"
                } else {
                    last = "streams from \(sender)"
                }
            } else {
                last = "no streaming WAL receiver"
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure.notStreaming(member.name, from: primary.name, last: last)
    }

    private func replayed(past lsn: String, _ clients: ClientConnectionString) async -> Bool {
        guard let connection = try? await PostgresSession.connect(member.address, as: clients, timeout: .seconds(2)) else { return false }
        defer { PostgresSession.close(connection) }
        let query: PostgresQuery = "SELECT coalesce(pg_last_wal_replay_lsn() >= \(lsn)::pg_lsn, false)"
        return (try? await PostgresSession.value(query, on: connection, as: Bool.self, timeout: .seconds(2))) == true
    }
}
