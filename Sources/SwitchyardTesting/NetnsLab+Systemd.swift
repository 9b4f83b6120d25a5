import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

extension NetnsLab {
    /// Whether this machine can boot a systemd inside a lab host (`bootSystemd`): systemd and util-linux's `unshare`.
    public static var canBootSystemd: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/lib/systemd/systemd") && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-run")
    }

    /// Makes host `index` a host where systemd runs, as on a real server: its plain sshd is stopped, and a systemd is
    /// booted as process 1 of a pid namespace inside the host's network namespace (with mount, UTS and IPC
    /// namespaces of its own and a tmpfs on `/run`, so the machine's own `/run`, hostname and services stay as
    /// they are). It loads only the units of the lab's folder: the few targets a transient service depends on, and the
    /// host's sshd as a service, so every SSH session, and whatever `systemd-run` starts from one, runs under it.
    /// `stop()` (or `removeLeftovers`) ends it with the namespace. No tmpfiles, journald or other unit of the machine
    /// runs (they would clean the machine's `/tmp`).
    public func bootSystemd(_ index: Int) async throws {
        stopSSHD(index)
        let units = path("systemd-\(index)")
        try FileManager.default.createDirectory(atPath: units, withIntermediateDirectories: true)
        for target in ["sysinit", "basic", "shutdown", "sockets", "timers", "paths", "slices", "network", "multi-user"] {
            try "[Unit]\nDescription=\(target)\n".write(toFile: "\(units)/\(target).target", atomically: true, encoding: .utf8)
        }
        try "[Unit]\nDescription=lab host \(index)\nWants=sshd.service\n".write(toFile: "\(units)/lab.target", atomically: true, encoding: .utf8)
        try """
            [Unit]
            Description=OpenSSH server of lab host \(index)

            [Service]
            ExecStart=/usr/sbin/sshd -D -f \(path("sshd_config-\(index)")) -E \(path("sshd-\(index).log"))
            KillMode=process

            """.write(toFile: "\(units)/sshd.service", atomically: true, encoding: .utf8)
        let boot = """
            set -e
            mount -t tmpfs -o mode=755 tmpfs /run
            mkdir -p /run/sshd
            export SYSTEMD_UNIT_PATH=\(units)
            exec /usr/lib/systemd/systemd --system --unit=lab.target --log-level=warning --log-target=console
            """
        _ = try Spawner.spawn(["/usr/sbin/ip", "netns", "exec", namespace(index), "/usr/bin/unshare", "--fork", "--pid", "--mount", "--uts", "--ipc",
                               "--mount-proc", "--propagation", "private", "/bin/sh", "-c", boot],
                              logPath: path("systemd-\(index).out"))
        for _ in 0..<400 {
            if Self.canConnect(addresses[index], port: 22) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        let log = (try? String(contentsOfFile: path("systemd-\(index).out"), encoding: .utf8)) ?? ""
        throw Failure.command(["boot systemd on", addresses[index]], "its sshd did not start listening within 10 s: \(log)")
    }

    /// Runs `script` on host `index` over the lab's SSH (a connection of its own, no master), for a test's checks.
    public func ssh(_ index: Int, _ script: String) throws -> String {
        try Self.output(["ssh", "-F", sshConfig, "-o", "ControlPath=none", addresses[index], script], check: true)
    }

    /// Closes the reused SSH connection of every host: what a yard that died leaves behind, minus its sessions.
    public func closeMasterConnections() {
        for address in addresses {
            _ = try? Self.output(["ssh", "-F", sshConfig, "-o", "ControlPath=\(controlDirectory)/%C", "-O", "exit", address])
        }
    }
}
