import Foundation
import SwitchyardCore

/// The plain supervised-process mode, for hosts without systemd: each instance a session of its own (`setsid`, so
/// it outlives the SSH session and a crash of yard) and a process group, its pid in `ZONE-SLOT-INDEX.pid` beside its
/// log (`HostSupervisorFiles`).
struct ProcessSupervisor: HostSupervisor {
    let shell: any HostShell

    func alive(_ service: Service) async throws -> [SupervisedProcess] {
        let script = """
            d="\(HostSupervisorFiles.directory(service))"
            for f in "$d"/*.pid; do
                [ -e "$f" ] || continue
                p=$(cat "$f" 2>/dev/null) || continue
                n=$(basename "$f" .pid)
            \(SupervisedProcess.printLine)
            done
            """
        return try await listing(script, what: "list instances")
    }

    func start(_ service: Service, _ id: InstanceID, command: [String], environment: [String: String]) async throws -> Int32 {
        let script = """
            set -e
            mkdir -p "\(HostSupervisorFiles.directory(service))"
            f="\(HostSupervisorFiles.base(service, id))"
            \(Self.exports(environment))
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

    /// `export K='V'; …` for the start script, or `:`. (The systemd mode passes `--setenv` instead.)
    static func exports(_ environment: [String: String]) -> String {
        let lines = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(SSHHostShell.quote($0.value))" }
        return lines.isEmpty ? ":" : lines.joined(separator: "; ")
    }

    /// The signals go to the process group the session leader heads; the pid file goes.
    func stop(_ service: Service, _ id: InstanceID, pid: Int32, grace: Duration) async throws -> Bool {
        let tenths = max(1, Int((grace.seconds * 10).rounded(.up)))
        let script = """
            p="$1"; f="\(HostSupervisorFiles.base(service, id))"
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
}
