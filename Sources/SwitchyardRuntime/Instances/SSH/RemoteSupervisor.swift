import Foundation
import SwitchyardCore

/// The plain supervised-process mode on a host, as `sh` scripts run through a `HostShell`: each instance a session
/// of its own (`setsid`, so it outlives the SSH session and a crash of yard), its pid and log under
/// `~/.switchyard/instances/SERVICE/ZONE-SLOT-INDEX.{pid,log}` on the host.
struct RemoteSupervisor: Sendable {
    let shell: any HostShell

    static func stateDirectory(_ service: Service) -> String { "$HOME/.switchyard/instances/\(service.name)" }
    static func fileName(_ id: InstanceID) -> String { "\(id.zone)-\(id.slot.rawValue)-\(id.index)" }

    /// A process a pid file names, alive now, with its command line.
    struct Found: Sendable, Hashable {
        var file: String
        var pid: Int32
        var words: [String]
    }

    /// Every instance of `service` with a pid file whose process is alive: one round trip.
    func alive(_ service: Service) async throws -> [Found] {
        let script = """
            d="\(Self.stateDirectory(service))"
            for f in "$d"/*.pid; do
                [ -e "$f" ] || continue
                p=$(cat "$f" 2>/dev/null) || continue
                case "$p" in ''|*[!0-9]*) continue ;; esac
                kill -0 "$p" 2>/dev/null || continue
                c=$(tr '\\000' '\\037' < "/proc/$p/cmdline" 2>/dev/null) || continue
                printf '%s %s %s\\n' "$(basename "$f" .pid)" "$p" "$c"
            done
            """
        let result = try await shell.script(script, timeout: .seconds(20))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: "list instances", status: result.status, output: result.errorOutput)
        }
        return result.output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
            var words = parts[2].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            if words.last == "" { words.removeLast() }
            return Found(file: String(parts[0]), pid: pid, words: words)
        }
    }

    /// Starts `command` detached in a session of its own; returns its pid.
    func start(_ service: Service, _ id: InstanceID, command: [String], environment: [String: String]) async throws -> Int32 {
        let base = "\(Self.stateDirectory(service))/\(Self.fileName(id))"
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(SSHHostShell.quote($0.value))" }.joined(separator: "; ")
        let script = """
            set -e
            d="\(Self.stateDirectory(service))"; mkdir -p "$d"
            f="\(base)"
            \(exports.isEmpty ? ":" : exports)
            echo "--- $(date -u +%FT%TZ) start" >> "$f.log"
            setsid "$@" < /dev/null >> "$f.log" 2>&1 &
            echo $! > "$f.pid.tmp"; mv -f "$f.pid.tmp" "$f.pid"
            echo $!
            """
        let result = try await shell.script(script, command, timeout: .seconds(20))
        guard result.succeeded, let pid = Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw InstanceFailure.start(id, "on \(shell.hostName): \(result.errorOutput.isEmpty ? "status \(result.status)" : result.errorOutput)")
        }
        return pid
    }

    /// SIGTERM to the instance's process group, then SIGKILL after `grace`; the pid file goes. True when it ended
    /// within the grace period. `pid` is the one found alive with the instance's command line, so a pid file that
    /// names a reused pid is never signalled.
    func stop(_ service: Service, _ id: InstanceID, pid: Int32, grace: Duration) async throws -> Bool {
        let tenths = max(1, Int((grace.seconds * 10).rounded(.up)))
        let script = """
            p="$1"; f="\(Self.stateDirectory(service))/\(Self.fileName(id))"
            if kill -0 "$p" 2>/dev/null; then
                kill -CONT "-$p" 2>/dev/null || kill -CONT "$p" 2>/dev/null || true
                kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
                i=0
                while kill -0 "$p" 2>/dev/null && [ "$i" -lt \(tenths) ]; do sleep 0.1; i=$((i+1)); done
                if kill -0 "$p" 2>/dev/null; then
                    kill -KILL "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
                    rm -f "$f.pid"; echo killed; exit 0
                fi
            fi
            rm -f "$f.pid"; echo stopped
            """
        let result = try await shell.script(script, ["\(pid)"], timeout: grace + .seconds(20))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: "stop \(id.name)", status: result.status, output: result.errorOutput)
        }
        return result.output.contains("stopped")
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
        let result = try? await shell.script("tail -n 3 \"\(Self.stateDirectory(service))/\(Self.fileName(id)).log\" 2>/dev/null || true", timeout: .seconds(10))
        return (result?.output ?? "").split(separator: "\n").joined(separator: " | ")
    }
}
