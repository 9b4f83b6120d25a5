import Foundation
import SwitchyardCore

/// The systemd mode: each instance a transient service unit, `yard-SERVICE-ZONE-SLOT-INDEX.service`, started with
/// `systemd-run` (of the system manager when the SSH login is root, else of the login's user manager, which needs
/// `loginctl enable-linger`). systemd keeps it beyond the SSH session and a crash of yard, `systemctl status` and
/// the host's own tools see it, its output is appended to the instance's log file (`HostSupervisorFiles`), and a
/// stop signals every process of its control group. `--collect` unloads a unit once it has ended.
struct SystemdSupervisor: HostSupervisor {
    let shell: any HostShell

    static func unitPrefix(_ service: Service) -> String { "yard-\(service.name)-" }
    static func unit(_ service: Service, _ id: InstanceID) -> String { "\(unitPrefix(service))\(HostSupervisorFiles.name(of: id)).service" }

    /// `sc` is `--user` for a login other than root; the script stops with status 3 where systemd does not run.
    static let manager = """
        [ -d /run/systemd/system ] || { echo "systemd is not running on this host (no /run/systemd/system)" >&2; exit 3; }
        sc=""; [ "$(id -u)" = 0 ] || sc="--user"
        """

    func alive(_ service: Service) async throws -> [SupervisedProcess] {
        let script = """
            \(Self.manager)
            pre="\(Self.unitPrefix(service))"
            systemctl $sc list-units --all --plain --no-legend --type=service "$pre*" |
                awk -v pre="$pre" '{ for (i = 1; i <= NF; i++) if (index($i, pre) == 1) { print $i; break } }' |
                while read -r u; do
                    p=$(systemctl $sc show -p MainPID --value "$u" 2>/dev/null) || continue
                    n=${u#"$pre"}; n=${n%.service}
            \(SupervisedProcess.printLine)
                done
            """
        return try await listing(script, what: "list instance units")
    }

    func start(_ service: Service, _ id: InstanceID, command: [String], environment: [String: String]) async throws -> Int32 {
        let unit = Self.unit(service, id)
        let script = """
            set -e
            \(Self.manager)
            mkdir -p "\(HostSupervisorFiles.directory(service))"
            f="\(HostSupervisorFiles.base(service, id))"; u="\(unit)"
            # A unit of the name that ended badly and was kept, or one still running without a matching command line.
            systemctl $sc stop "$u" >/dev/null 2>&1 || true
            systemctl $sc reset-failed "$u" >/dev/null 2>&1 || true
            echo "--- $(date -u +%FT%TZ) start (unit $u)" >> "$f.log"
            systemd-run $sc --quiet --collect --unit="$u" --description="Switchyard \(service.name) \(id.name)" \\
                -p WorkingDirectory="$PWD" -p StandardOutput="append:$f.log" -p StandardError="append:$f.log" "$@"
            systemctl $sc show -p MainPID --value "$u"
            """
        let setenv = environment.sorted { $0.key < $1.key }.map { "--setenv=\($0.key)=\($0.value)" }
        let result = try await shell.script(script, setenv + ["--"] + command, timeout: .seconds(20))
        guard result.succeeded, let pid = Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            let why = result.errorOutput.isEmpty ? "status \(result.status), main pid \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))" : result.errorOutput
            throw InstanceFailure.start(id, "on \(shell.hostName) (unit \(unit)): \(why)")
        }
        return pid
    }

    /// `systemctl kill` signals the unit's whole control group; the unit is stopped (and so unloaded) afterwards.
    func stop(_ service: Service, _ id: InstanceID, pid: Int32, grace: Duration) async throws -> Bool {
        let tenths = max(1, Int((grace.seconds * 10).rounded(.up)))
        let script = """
            \(Self.manager)
            p="$1"; u="\(Self.unit(service, id))"
            if kill -0 "$p" 2>/dev/null; then
                systemctl $sc kill --signal=CONT "$u" 2>/dev/null || true
                systemctl $sc kill --signal=TERM "$u" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true
                i=0
                while kill -0 "$p" 2>/dev/null && [ "$i" -lt \(tenths) ]; do sleep 0.1; i=$((i+1)); done
                if kill -0 "$p" 2>/dev/null; then
                    systemctl $sc kill --signal=KILL "$u" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
                    systemctl $sc stop "$u" >/dev/null 2>&1 || true
                    echo killed; exit 0
                fi
            fi
            systemctl $sc stop "$u" >/dev/null 2>&1 || true
            echo stopped
            """
        let result = try await shell.script(script, ["\(pid)"], timeout: grace + .seconds(20))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: "stop \(id.name)", status: result.status, output: result.errorOutput)
        }
        return result.output.contains("stopped")
    }
}
