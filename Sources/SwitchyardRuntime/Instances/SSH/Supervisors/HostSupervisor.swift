import Foundation
import SwitchyardCore

/// What keeps a service's instances running on one host once the SSH session that started them is gone, driven as
/// `sh` scripts through the host's `HostShell`: a plain session with a pid file (`ProcessSupervisor`) or a systemd
/// transient unit (`SystemdSupervisor`). Either way each instance's log is `LOG` below, and the instances are found
/// again from what the host reports, so a yard that died is followed by one that adopts them.
protocol HostSupervisor: Sendable {
    var shell: any HostShell { get }

    /// Every instance of `service` that this supervisor runs on the host, alive now: one round trip.
    func alive(_ service: Service) async throws -> [SupervisedProcess]
    /// Starts `command` so that it outlives the SSH session; returns its pid.
    func start(_ service: Service, _ id: InstanceID, command: [String], environment: [String: String]) async throws -> Int32
    /// SIGTERM to the instance (all its processes), SIGKILL after `grace`. True when it ended within the grace period.
    /// `pid` is the one found alive with the instance's command line, so a pid that was reused is never signalled.
    func stop(_ service: Service, _ id: InstanceID, pid: Int32, grace: Duration) async throws -> Bool
}

/// A process the host runs for an instance: `name` is `HostSupervisorFiles.name(of:)` of its instance.
struct SupervisedProcess: Sendable, Hashable {
    var name: String
    var pid: Int32
    var words: [String]

    /// Parses `NAME PID WORD\x1FWORD\x1F…` lines, as the `alive` scripts print them.
    static func parse(_ output: String) -> [SupervisedProcess] {
        output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
            var words = parts[2].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            if words.last == "" { words.removeLast() }
            return SupervisedProcess(name: String(parts[0]), pid: pid, words: words)
        }
    }

    /// The `sh` lines that print one such line for pid `$p` named `$n` when it is alive (inside a loop: `continue`).
    static let printLine = """
        case "$p" in ''|0|*[!0-9]*) continue ;; esac
        kill -0 "$p" 2>/dev/null || continue
        c=$(tr '\\000' '\\037' < "/proc/$p/cmdline" 2>/dev/null) || continue
        printf '%s %s %s\\n' "$n" "$p" "$c"
        """
}

/// Where a host keeps what it knows of an instance: `~/.switchyard/instances/SERVICE/ZONE-SLOT-INDEX.{log,pid}`.
enum HostSupervisorFiles {
    static func directory(_ service: Service) -> String { "$HOME/.switchyard/instances/\(service.name)" }
    static func name(of id: InstanceID) -> String { "\(id.zone)-\(id.slot.rawValue)-\(id.index)" }
    static func base(_ service: Service, _ id: InstanceID) -> String { "\(directory(service))/\(name(of: id))" }
}

extension HostSupervisor {
    /// Runs an `alive` script (it prints `SupervisedProcess` lines) and parses what it printed.
    func listing(_ script: String, what: String) async throws -> [SupervisedProcess] {
        let result = try await shell.script(script, timeout: .seconds(20))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: what, status: result.status, output: result.errorOutput)
        }
        return SupervisedProcess.parse(result.output)
    }

    /// Sends `signal` to each pid (the process only, as a local `kill` would); returns the pids that were not there.
    func signal(_ signal: Int32, pids: [Int32]) async throws -> Set<Int32> {
        let script = #"s="$1"; shift; for p in "$@"; do kill -"$s" "$p" 2>/dev/null || echo "$p"; done; true"#
        let result = try await shell.script(script, [Self.signalName(signal)] + pids.map(String.init), timeout: .seconds(20))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: "kill -\(Self.signalName(signal))", status: result.status, output: result.errorOutput)
        }
        return Set(result.output.split(separator: "\n").compactMap { Int32($0) })
    }

    /// The name `kill -NAME` takes: numbers differ between architectures, names do not.
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "KILL"
        case SIGSTOP: "STOP"
        case SIGCONT: "CONT"
        case SIGTERM: "TERM"
        case SIGINT: "INT"
        case SIGHUP: "HUP"
        default: "\(signal)"
        }
    }

    /// The last lines of the instance's log on the host.
    func logTail(_ service: Service, _ id: InstanceID) async -> String {
        let result = try? await shell.script("tail -n 3 \"\(HostSupervisorFiles.base(service, id)).log\" 2>/dev/null || true", timeout: .seconds(10))
        return (result?.output ?? "").split(separator: "\n").joined(separator: " | ")
    }
}
