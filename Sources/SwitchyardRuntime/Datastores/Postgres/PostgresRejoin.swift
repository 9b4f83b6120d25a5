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

    enum Failure: Error, Sendable, CustomStringConvertible {
        case noClients(String)
        case splitBrain([String])
        case noPrimary(String)
        case notStreaming(String, from: String, last: String)

        var description: String {
            switch self {
            case .noClients(let store): "datastore \(store) has no clients connection string; restore it by hand"
            case .splitBrain(let names): "\(names.joined(separator: " and ")) both answer as primary; restore by hand (choose one, rewind the other)"
            case .noPrimary(let name): "no member answers as primary and \(name) is a replica; promote one by hand"
            case .notStreaming(let name, let from, let last): "\(name) was started but does not stream from \(from): \(last)"
            }
        }
    }

    func perform() async throws -> String {
        guard let clients = datastore.clients else { throw Failure.noClients(datastore.name) }
        let tools = try PostgresMemberTools(member)
        var primaries: [DatastoreMember] = []
        for other in datastore.members where other.name != member.name {
            if await PostgresSession.role(of: other.address, as: clients) == .primary { primaries.append(other) }
        }
        let mine = await PostgresSession.role(of: member.address, as: clients)
        guard primaries.count <= 1 else { throw Failure.splitBrain(primaries.map(\.name)) }
        guard let primary = primaries.first else {
            switch mine {
            case .primary: return "\(member.name) is still the primary (no failover happened); nothing to do"
            case .replica: throw Failure.noPrimary(member.name)
            case .down:
                try await tools.start(timeout: timeout)
                return "\(member.name) started again as it was: no other member is primary (no failover happened)"
            }
        }
        if case .replica = mine, let sender = await streamingSource(clients), sender == primary.address {
            return "\(member.name) already streams from the primary \(primary.name); nothing to do"
        }
        switch mine {
        case .primary, .replica: try await tools.stop()
        case .down: break
        }
        let how = try await resynchronize(tools, from: primary, clients: clients)
        try await tools.start(timeout: timeout)
        try await waitForStreaming(from: primary, clients: clients)
        return "\(member.name) is a replica of \(primary.name) again (\(how)), streaming"
    }

    /// pg_rewind onto the primary; a fresh base backup when it cannot.
    private func resynchronize(_ tools: PostgresMemberTools, from primary: DatastoreMember, clients: ClientConnectionString) async throws -> String {
        let source = "host=\(primary.address.host) port=\(primary.address.port) user=\(clients.user) dbname=\(clients.database)"
        let environment = clients.password.map { ProcessInfo.processInfo.environment.merging(["PGPASSWORD": $0]) { $1 } }
        do {
            try await tools.run("pg_rewind", ["-D", member.dataDirectory, "--source-server=\(source)", "-R"], environment: environment)
            return "pg_rewind"
        } catch {
            let rewindFailure = "\(error)"
            let aside = member.dataDirectory + ".before-rejoin"
            try? FileManager.default.removeItem(atPath: aside)
            try FileManager.default.moveItem(atPath: member.dataDirectory, toPath: aside)
            try await tools.run("pg_basebackup", ["-D", member.dataDirectory, "-R", "-X", "stream", "-c", "fast",
                                                  "-h", primary.address.host, "-p", "\(primary.address.port)", "-U", clients.user],
                                environment: environment, timeout: timeout + .seconds(600))
            return "pg_basebackup, pg_rewind having failed: \(rewindFailure.prefix(200)); the old data is in \(aside)"
        }
    }

    /// Where this member's WAL receiver streams from, when it streams.
    private func streamingSource(_ clients: ClientConnectionString) async -> HostPort? {
        guard let connection = try? await PostgresSession.connect(member.address, as: clients, timeout: .seconds(2)) else { return nil }
        defer { PostgresSession.close(connection) }
        let query: PostgresQuery = "SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'"
        guard let text = try? await PostgresSession.value(query, on: connection, as: String.self, timeout: .seconds(2)) else { return nil }
        return HostPort(parsing: text)
    }

    private func waitForStreaming(from primary: DatastoreMember, clients: ClientConnectionString) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var last = "not asked yet"
        while clock.now - start < timeout {
            if let sender = await streamingSource(clients) {
                if sender == primary.address { return }
                last = "streams from \(sender)"
            } else {
                last = "no streaming WAL receiver yet"
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure.notStreaming(member.name, from: primary.name, last: last)
    }
}
