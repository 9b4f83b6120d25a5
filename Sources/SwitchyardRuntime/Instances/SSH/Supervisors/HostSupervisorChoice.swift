import Foundation
import SwitchyardCore

/// Which `HostSupervisor` each host gets, as its `supervisor` field says: `process` and `systemd` as written (a host
/// set to `systemd` that does not run it is an error naming the host), `auto` as the host answers. A host is asked
/// once per driver (one round trip on the reused connection); an unreachable host is asked again next time.
actor HostSupervisorChoice {
    private var answers: [ZoneHost: String] = [:]  // host -> "systemd", or why not

    enum Failure: Error, Sendable, CustomStringConvertible {
        case noSystemd(host: String, why: String)

        var description: String {
            switch self {
            case .noSystemd(let host, let why):
                "host \(host) is set to `supervisor: systemd` but \(why); install or start systemd there, or set `supervisor: process` (or `auto`)"
            }
        }
    }

    func supervisor(for host: ZoneHost, shell: any HostShell) async throws -> any HostSupervisor {
        switch host.supervisor {
        case .process:
            return ProcessSupervisor(shell: shell)
        case .systemd:
            let (runs, why) = try await systemdRuns(on: host, shell: shell)
            if !runs { throw Failure.noSystemd(host: shell.hostName, why: why) }
            return SystemdSupervisor(shell: shell)
        case .auto:
            let (runs, _) = try await systemdRuns(on: host, shell: shell)
            return runs ? SystemdSupervisor(shell: shell) : ProcessSupervisor(shell: shell)
        }
    }

    private func systemdRuns(on host: ZoneHost, shell: any HostShell) async throws -> (Bool, String) {
        if let known = answers[host] { return (known == "systemd", known) }
        let script = """
            if [ ! -d /run/systemd/system ]; then echo "systemd is not running there (no /run/systemd/system)"
            elif ! command -v systemd-run >/dev/null 2>&1; then echo "it has no systemd-run"
            elif [ "$(id -u)" != 0 ] && ! systemctl --user show-environment >/dev/null 2>&1; then
                echo "the login has no systemd user manager (loginctl enable-linger $(id -un))"
            else echo systemd; fi
            """
        let result = try await shell.script(script, timeout: .seconds(15))
        guard result.succeeded else {
            throw HostShellFailure.failed(host: shell.hostName, command: "look for systemd", status: result.status, output: result.errorOutput)
        }
        let answer = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        answers[host] = answer
        return (answer == "systemd", answer)
    }
}
