import Foundation
import SwitchyardCore

/// The PostgreSQL programs and files of one member of a datastore, on the member's host (this machine, or one over SSH):
/// its tools from its `binDirectory` (or the newest /usr/lib/postgresql/*/bin there, else PATH), run as its `runAs` user
/// when the login is root (initdb, pg_ctl and pg_rewind refuse root); its postmaster's pid and lock files.
///
/// Every step is a POSIX `sh` script run through the host's `HostShell`, so the same code acts on this machine and on
/// another; nothing reads a local file or signals a local pid.
struct PostgresMemberTools: Sendable {
    var member: DatastoreMember
    var shell: any HostShell

    enum Failure: Error, Sendable, CustomStringConvertible {
        case failed(String, host: String, status: Int32, output: String)

        var description: String {
            switch self {
            case .failed(let command, let host, let status, let output):
                "\(command) exited \(status)\(PostgresMemberTools.onHost(host)): \(output.suffix(600))"
            }
        }
    }

    /// ` on HOST` for a host other than this machine, for messages; empty for this machine.
    static func onHost(_ host: String) -> String { host == LocalHostShell().hostName ? "" : " on \(host)" }

    init(_ member: DatastoreMember, shell: (any HostShell)? = nil) {
        self.member = member
        self.shell = shell ?? MemberShells.shell(for: member.host)
    }

    /// `alive PID`: the process exists and is not a zombie (PostgreSQL's own check, `kill(pid, 0)`, takes a zombie for
    /// alive).
    static let prelude = """
        alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1; st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; st=${st##*) }; [ "${st%% *}" != Z ]; }

        """

    /// `$1` runAs, `$2` binDirectory (empty: find it), `$3` tool, `$4` 1 when the password comes on standard input;
    /// the rest are the tool's arguments.
    private static let toolScript = """
        run_as=$1 bin=$2 tool=$3 pass=$4; shift 4
        if [ -z "$bin" ]; then
          for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
            if [ -x "$d/$tool" ]; then bin=$d; break; fi
          done
        fi
        if [ -n "$bin" ]; then program=$bin/$tool
        else program=$(command -v "$tool") || { echo "no PostgreSQL program $tool on this host: set the member's binDirectory, or install postgresql" >&2; exit 127; }
        fi
        if [ "$pass" = 1 ]; then IFS= read -r PGPASSWORD; export PGPASSWORD; fi
        if [ "$(id -u)" = 0 ]; then exec "$(command -v runuser || echo /usr/sbin/runuser)" -u "$run_as" -- "$program" "$@"; fi
        exec "$program" "$@"
        """

    /// Runs `tool` on the member's host; fails with what it said unless it exits 0. A password goes on its standard
    /// input, never on a command line.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], password: String? = nil, timeout: Duration = .seconds(120)) async throws -> String {
        let result = try await shell.script(Self.toolScript, [member.runAs, member.binDirectory ?? "", tool, password == nil ? "0" : "1"] + arguments,
                                            stdin: password.map { Data(($0 + "\n").utf8) }, timeout: timeout)
        guard result.succeeded else {
            throw Failure.failed("\(tool) \(arguments.joined(separator: " "))", host: shell.hostName, status: result.status,
                                 output: [result.output, result.errorOutput].filter { !$0.isEmpty }.joined(separator: "\n"))
        }
        return result.output
    }

    /// Runs a script of this member's (after `prelude`), failing with what it said unless it exits 0.
    func script(_ what: String, _ text: String, _ arguments: [String], timeout: Duration = .seconds(30)) async throws -> String {
        let result = try await shell.script(Self.prelude + text, arguments, timeout: timeout)
        guard result.succeeded else {
            throw Failure.failed(what, host: shell.hostName, status: result.status, output: [result.output, result.errorOutput].filter { !$0.isEmpty }.joined(separator: "\n"))
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The postmaster's pid from `postmaster.pid`, when that process is alive.
    func postmasterPID() async throws -> Int32? {
        let text = try await script("read \(member.dataDirectory)/postmaster.pid", """
            f="$1/postmaster.pid"; [ -r "$f" ] || exit 0
            pid=$(sed -n 1p "$f" | tr -d ' ')
            if alive "$pid"; then echo "$pid"; fi
            """, [member.dataDirectory])
        return Int32(text)
    }

    /// Removes `postmaster.pid` when the process it names is gone or a zombie: PostgreSQL takes a zombie for a live
    /// postmaster (`kill(pid, 0)` succeeds) and refuses to start, and pg_rewind's crash recovery with it, until the
    /// killed postmaster's parent reaps it, which an init that does not reap (a container's) never does. Measured here:
    /// a SIGKILLed postmaster stays a zombie of pid 1. Returns the pid of the lock removed.
    /// The unix socket's lock file (`SOCKETDIR/.s.PGSQL.PORT.lock`, named by lines 4 and 5 of `postmaster.pid`) holds the
    /// same pid and goes with it.
    @discardableResult
    func removeStaleLockFile() async throws -> Int32? {
        let text = try await script("remove the stale \(member.dataDirectory)/postmaster.pid", """
            f="$1/postmaster.pid"; [ -r "$f" ] || exit 0
            pid=$(sed -n 1p "$f" | tr -d ' '); port=$(sed -n 4p "$f" | tr -d ' '); sock=$(sed -n 5p "$f" | tr -d ' ')
            if alive "$pid"; then exit 0; fi
            lock="$sock/.s.PGSQL.$port.lock"
            if [ -n "$sock" ] && [ -r "$lock" ] && [ "$(sed -n 1p "$lock" | tr -d ' ')" = "$pid" ]; then rm -f -- "$lock"; fi
            rm -f -- "$f" && echo "$pid"
            """, [member.dataDirectory])
        return Int32(text)
    }

    /// `pg_ctl start` on the member's port and options, waiting until it accepts connections (or is a standby that does).
    func start(timeout: Duration) async throws {
        let options = "-p \(member.address.port)" + (member.serverOptions.map { " \($0)" } ?? "")
        let log = "\(member.dataDirectory)/switchyard-start.log"
        do {
            try await run("pg_ctl", ["-D", member.dataDirectory, "-l", log, "-w", "-t", "\(max(1, timeout.components.seconds))", "-o", options, "start"],
                          timeout: timeout + .seconds(5))
        } catch Failure.failed(let command, let host, let status, let output) {
            // What the server said, not only pg_ctl's "could not start server".
            let said = (try? await script("read \(log)", #"tail -c 600 -- "$1" 2>/dev/null || true"#, [log])) ?? ""
            throw Failure.failed(command, host: host, status: status, output: output + (said.isEmpty ? "" : "; \(log): \(said)"))
        }
    }

    /// `pg_ctl stop -m fast`: a clean shutdown (pg_rewind then needs no crash recovery).
    func stop() async throws {
        try await run("pg_ctl", ["-D", member.dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Moves the data directory to `aside` (replacing an older one there).
    func moveDataDirectory(to aside: String) async throws {
        _ = try await script("move \(member.dataDirectory) to \(aside)", #"rm -rf -- "$2" && mv -- "$1" "$2""#, [member.dataDirectory, aside], timeout: .seconds(300))
    }
}

/// The shell of a member's host.
enum MemberShells {
    static func shell(for host: MemberHost) -> any HostShell {
        switch host {
        case .thisMachine: LocalHostShell()
        case .ssh(let address, let user, let port): SSHHostShell(destination: SSHDestination(address: address, user: user, port: port), options: .fromEnvironment())
        }
    }
}
