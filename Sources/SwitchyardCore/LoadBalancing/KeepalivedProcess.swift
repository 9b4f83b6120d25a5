/// How keepalived runs on a load-balancer node of a pair: where its pid files are, and the command that starts it
/// when a restore finds it gone. A start after a SIGKILL can fail with "daemon is already running" while the pid files
/// name a live process that is not keepalived (its pid taken again), so the restore removes such files first.
public struct KeepalivedProcess: Sendable, Hashable, Encodable {
    /// The parent's pid file (`keepalived --pid`).
    public var pidFile: String
    /// The VRRP child's pid file (`keepalived --vrrp_pid`).
    public var vrrpPidFile: String
    /// Run on the node; it must return once keepalived runs (keepalived forks by default).
    public var start: [String]

    public static let debian = KeepalivedProcess(pidFile: "/run/keepalived.pid", vrrpPidFile: "/run/vrrp.pid", start: ["systemctl", "start", "keepalived"])

    public init(pidFile: String, vrrpPidFile: String, start: [String]) {
        self.pidFile = pidFile
        self.vrrpPidFile = vrrpPidFile
        self.start = start
    }
}

extension LoadBalancer {
    /// A keepalived pair: nodes that move one virtual address between them.
    public var isKeepalivedPair: Bool { !nodes.isEmpty && virtualAddress != nil }

    /// Where clients reach the live listener: the virtual address of a keepalived pair (on the listener's port), or the
    /// listener itself (`0.0.0.0` as `127.0.0.1`). Releases confirm and drills drive their traffic through it.
    public var clientListener: HostPort {
        if isKeepalivedPair, let address = virtualAddress { return HostPort(host: address, port: listen.port) }
        return HostPort(host: listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host, port: listen.port)
    }
}

extension LoadBalancer.Node {
    /// keepalived as this node runs it (Debian's defaults when the manifest says nothing).
    public var keepalivedProcess: KeepalivedProcess { keepalived ?? .debian }
}
