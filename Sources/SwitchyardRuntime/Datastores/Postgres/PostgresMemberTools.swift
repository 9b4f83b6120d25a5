import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL programs run for one member of a datastore, on this machine: from its `binDirectory` (or the newest
/// installed), as its `runAs` user when Switchyard runs as root (initdb, pg_ctl and pg_rewind refuse root).
struct PostgresMemberTools: Sendable {
    var member: DatastoreMember
    var bin: String

    enum Failure: Error, Sendable, CustomStringConvertible {
        case notInstalled(String)
        case failed(String, status: Int32, output: String)

        var description: String {
            switch self {
            case .notInstalled(let member): "no PostgreSQL programs for member \(member): set its binDirectory, or install postgresql"
            case .failed(let command, let status, let output): "\(command) exited \(status): \(output.suffix(600))"
            }
        }
    }

    init(_ member: DatastoreMember) throws {
        guard let bin = member.binDirectory ?? PostgresBinaries.find() else { throw Failure.notInstalled(member.name) }
        self.member = member
        self.bin = bin
    }

    func argv(_ tool: String, _ arguments: [String]) -> [String] {
        let program = "\(bin)/\(tool)"
        return getuid() == 0 ? ["/usr/sbin/runuser", "-u", member.runAs, "--", program] + arguments : [program] + arguments
    }

    /// Runs `tool`; fails with its output unless it exits 0.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration = .seconds(120)) async throws -> String {
        let command = argv(tool, arguments)
        let result = try await ChildProcess.run(command, environment: environment, timeout: timeout)
        guard result.succeeded else { throw Failure.failed("\(tool) \(arguments.joined(separator: " "))", status: result.status, output: result.output) }
        return result.output
    }

    /// The postmaster's pid from `postmaster.pid`, when that process is alive.
    var postmasterPID: Int32? {
        guard let text = try? String(contentsOfFile: "\(member.dataDirectory)/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = Int32(first.trimmingCharacters(in: .whitespaces)),
              ProcessTable.isAlive(pid) else { return nil }
        return pid
    }

    /// Removes `postmaster.pid` when the process it names is gone or a zombie: PostgreSQL takes a zombie for a live
    /// postmaster (`kill(pid, 0)` succeeds) and refuses to start, and pg_rewind's crash recovery with it, until the
    /// killed postmaster's parent reaps it, which an init that does not reap (a container's) never does. Measured here:
    /// a SIGKILLed postmaster stays a zombie of pid 1. Returns the pid of the lock removed.
    /// The unix socket's lock file (`SOCKETDIR/.s.PGSQL.PORT.lock`, named by lines 4 and 5 of `postmaster.pid`) holds the
    /// same pid and goes with it.
    func removeStaleLockFile() -> Int32? {
        let path = "\(member.dataDirectory)/postmaster.pid"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first, let pid = Int32(first), !ProcessTable.isAlive(pid) else { return nil }
        if lines.count > 4, !lines[4].isEmpty {
            let socketLock = "\(lines[4])/.s.PGSQL.\(lines[3]).lock"
            if let held = try? String(contentsOfFile: socketLock, encoding: .utf8), held.split(separator: "\n").first.map(String.init) == first {
                try? FileManager.default.removeItem(atPath: socketLock)
            }
        }
        return (try? FileManager.default.removeItem(atPath: path)) == nil ? nil : pid
    }

    /// `pg_ctl start` on the member's port and options, waiting until it accepts connections (or is a standby that does).
    func start(timeout: Duration) async throws {
        let options = "-p \(member.address.port)" + (member.serverOptions.map { " \($0)" } ?? "")
        let log = "\(member.dataDirectory)/switchyard-start.log"
        do {
            try await run("pg_ctl", ["-D", member.dataDirectory, "-l", log, "-w", "-t", "\(max(1, timeout.components.seconds))", "-o", options, "start"],
                          timeout: timeout + .seconds(5))
        } catch PostgresMemberTools.Failure.failed(let command, let status, let output) {
            // What the server said, not only pg_ctl's "could not start server".
            let said = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(600)) } ?? ""
            throw Failure.failed(command, status: status, output: output + (said.isEmpty ? "" : "; \(log): \(said)"))
        }
    }

    /// `pg_ctl stop -m fast`: a clean shutdown (pg_rewind then needs no crash recovery).
    func stop() async throws {
        try await run("pg_ctl", ["-D", member.dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }
}
