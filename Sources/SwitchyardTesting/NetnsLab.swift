import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Several hosts on one machine, for tests of the SSH driver: a bridge `ysh-br0` (10.77.0.1/16 in the root
/// namespace, so a local nginx reaches every host) and one network namespace per host (`ysh-h0`, …) with its own
/// address on the bridge (10.77.1.10, 10.77.1.11, …), loopback up and an OpenSSH `sshd` listening on that address
/// (root login by key). It makes the client key, the `known_hosts` and an ssh config file (`sshConfig`) that the
/// SSH driver is pointed at with `$YARD_SSH_CONFIG`. Namespaces share the file system, so a gateway binary in the
/// build folder is started on a host by its path. Needs root, `ip` (iproute2) and `/usr/sbin/sshd`.
///
/// `stop()` kills every process in the namespaces and every sshd it started, closes the SSH master connections
/// and deletes the namespaces and the bridge; `start` first removes what a crashed earlier run left behind.
///
/// Another `Network` (its own name prefix and `10.N.0.0/16`) makes a lab that runs beside one of the standard network.
public final class NetnsLab: Sendable {
    public static let prefix = Network.standard.prefix
    public static let bridge = Network.standard.bridge
    public let network: Network
    public let folder: URL
    public let addresses: [String]
    /// `Host 10.77.*` with user root, the lab's key and known_hosts: what `ssh -F` is given.
    public let sshConfig: String
    /// The control-socket folder for reused connections (short: a socket path is limited to 107 bytes).
    public let controlDirectory: String

    /// Names and addresses of a lab: interfaces and namespaces start with `prefix` (at most 5 characters: a Linux
    /// interface name has 15), the bridge is `10.octet.0.1/16` and host `i` is `10.octet.1.(10 + i)`.
    public struct Network: Sendable, Hashable {
        public var prefix: String
        public var octet: Int

        public init(prefix: String, octet: Int) {
            self.prefix = prefix
            self.octet = octet
        }

        public static let standard = Network(prefix: "ysh-", octet: 77)

        public var bridge: String { "\(prefix)br0" }
        public var bridgeAddress: String { "10.\(octet).0.1" }
        public func namespace(_ index: Int) -> String { "\(prefix)h\(index)" }
        public func address(_ index: Int) -> String { "10.\(octet).1.\(10 + index)" }
        /// The end of host `index`'s veth pair on the bridge, in the root namespace: down, the host is cut off.
        public func outsideLink(_ index: Int) -> String { "\(prefix)v\(index)" }
        /// The end inside host `index`'s namespace.
        public func insideLink(_ index: Int) -> String { "\(prefix)p\(index)" }
    }

    init(folder: URL, addresses: [String], network: Network) {
        self.network = network
        self.folder = folder
        self.addresses = addresses
        sshConfig = folder.appendingPathComponent("ssh_config").path
        controlDirectory = folder.appendingPathComponent("cm").path
    }

    public enum Failure: Error, CustomStringConvertible {
        case notAvailable(String)
        case command([String], String)
        case sshdNotListening(String)

        public var description: String {
            switch self {
            case .notAvailable(let why): "network-namespace lab not available: \(why)"
            case .command(let argv, let output): "\(argv.joined(separator: " ")) failed: \(output)"
            case .sshdNotListening(let address): "sshd on \(address) did not start listening"
            }
        }
    }

    /// Whether this machine can run the lab (root, ip, sshd).
    public static var isAvailable: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
    }

    public static func namespace(_ index: Int) -> String { Network.standard.namespace(index) }
    public static func address(_ index: Int) -> String { Network.standard.address(index) }
    public func namespace(_ index: Int) -> String { network.namespace(index) }

    /// Builds the lab with `hosts` hosts, every sshd listening.
    public static func start(hosts: Int, network: Network = .standard) async throws -> NetnsLab {
        guard isAvailable else { throw Failure.notAvailable("needs root, /usr/sbin/ip and /usr/sbin/sshd (apt-get install iproute2 openssh-server)") }
        removeLeftovers(network)
        let folder = URL(fileURLWithPath: "/tmp/\(network.prefix)\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lab = NetnsLab(folder: folder, addresses: (0..<hosts).map(network.address), network: network)
        do {
            try lab.build()
            for index in 0..<hosts { try await lab.startSSHD(index) }
        } catch {
            lab.stop()
            throw error
        }
        return lab
    }

    /// Runs `body` with a lab of `hosts` hosts and always takes it down.
    public static func with<T: Sendable>(hosts: Int, network: Network = .standard, _ body: (NetnsLab) async throws -> T) async throws -> T {
        let lab = try await start(hosts: hosts, network: network)
        do {
            let result = try await body(lab)
            lab.stop()
            return result
        } catch {
            lab.stop()
            throw error
        }
    }

    private func build() throws {
        let bridge = network.bridge
        try Self.run(["ip", "link", "add", bridge, "type", "bridge"])
        try Self.run(["ip", "addr", "add", "\(network.bridgeAddress)/16", "dev", bridge])
        try Self.run(["ip", "link", "set", bridge, "up"])
        for (index, address) in addresses.enumerated() {
            let namespace = network.namespace(index), outside = network.outsideLink(index), inside = network.insideLink(index)
            try Self.run(["ip", "netns", "add", namespace])
            try Self.run(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside])
            try Self.run(["ip", "link", "set", inside, "netns", namespace])
            try Self.run(["ip", "link", "set", outside, "master", bridge, "up"])
            try Self.run(["ip", "-n", namespace, "addr", "add", "\(address)/16", "dev", inside])
            try Self.run(["ip", "-n", namespace, "link", "set", inside, "up"])
            try Self.run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: controlDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for key in ["host_key", "client_key"] {
            try Self.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "\(network.prefix)\(key)", "-f", path(key)])
        }
        try FileManager.default.copyItem(atPath: path("client_key.pub"), toPath: path("authorized_keys"))
        FileManager.default.createFile(atPath: path("no_keys"), contents: nil)
        let hostKey = try String(contentsOfFile: path("host_key.pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try addresses.map { "\($0) \(hostKey)\n" }.joined().write(toFile: path("known_hosts"), atomically: true, encoding: .utf8)
        try """
            Host 10.\(network.octet).*
                User root
                IdentityFile \(path("client_key"))
                IdentitiesOnly yes
                UserKnownHostsFile \(path("known_hosts"))
                StrictHostKeyChecking yes
                LogLevel ERROR

            """.write(toFile: sshConfig, atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Starts host `index`'s sshd (again) and waits until it listens; with `acceptingKeys: false` it refuses the
    /// client key (an empty authorized_keys), as a host whose key was never installed or was revoked.
    public func startSSHD(_ index: Int, acceptingKeys: Bool = true) async throws {
        let config = path("sshd_config-\(index)")
        try """
            ListenAddress \(addresses[index])
            Port 22
            HostKey \(path("host_key"))
            PidFile \(path("sshd-\(index).pid"))
            AuthorizedKeysFile \(path(acceptingKeys ? "authorized_keys" : "no_keys"))
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            StrictModes no
            UsePAM no
            MaxSessions 100
            MaxStartups 100:30:200
            LogLevel ERROR

            """.write(toFile: config, atomically: true, encoding: .utf8)
        // posix_spawn in a session of its own (Spawner), never Foundation's Process: see `ChildProcess`.
        _ = try Spawner.spawn(["/usr/sbin/ip", "netns", "exec", namespace(index), "/usr/sbin/sshd", "-D", "-f", config,
                               "-E", path("sshd-\(index).log")], logPath: path("sshd-\(index).out"))
        for _ in 0..<200 {
            if Self.canConnect(addresses[index], port: 22) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw Failure.sshdNotListening(addresses[index])
    }

    /// Stops host `index`'s sshd, its listener and every session it serves (so a reused master connection ends too);
    /// the host stays and its instances keep running.
    public func stopSSHD(_ index: Int) {
        for _ in 0..<100 {
            let pids = ((try? Self.output(["ip", "netns", "pids", namespace(index)])) ?? "").split(separator: "\n").compactMap { Int32($0) }
            let sshds = pids.filter { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8))?.hasPrefix("sshd") == true }
            if sshds.isEmpty, !Self.canConnect(addresses[index], port: 22) { break }
            for pid in sshds { kill(pid, SIGKILL) }
            usleep(20_000)
        }
        // No waitpid(-1) here: it would reap children Foundation is waiting on (a run of ssh, say) and hang them.
    }

    /// Takes everything down; safe to call twice.
    public func stop() {
        closeMasterConnections()
        Self.removeLeftovers(network)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Kills every process in a namespace of `network` (`ysh-`), deletes the namespaces and the bridge.
    public static func removeLeftovers(_ network: Network = .standard) {
        let prefix = network.prefix, bridge = network.bridge
        let list = (try? output(["ip", "netns", "list"])) ?? ""
        let namespaces = list.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasPrefix(prefix) }
        for namespace in namespaces {
            for _ in 0..<50 {
                let pids = ((try? output(["ip", "netns", "pids", namespace])) ?? "").split(separator: "\n").compactMap { Int32($0) }
                if pids.isEmpty { break }
                for pid in pids { kill(pid, SIGKILL) }
                usleep(20_000)
            }
            _ = try? output(["ip", "netns", "del", namespace])
        }
        _ = try? output(["ip", "link", "del", bridge])
        // A pair whose namespace end was never moved outlives the namespace.
        for line in ((try? output(["ip", "-o", "link", "show"])) ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":")
            guard fields.count > 1 else { continue }
            let name = fields[1].trimmingCharacters(in: .whitespaces).split(separator: "@").first.map(String.init) ?? ""
            if name.hasPrefix(prefix) { _ = try? output(["ip", "link", "del", name]) }
        }
        // No waitpid(-1) here: it would reap children Foundation is waiting on (a run of ssh, say) and hang them.
    }

    @discardableResult
    static func run(_ argv: [String]) throws -> String { try output(argv, check: true) }

    /// Runs a short command to its end (`ChildProcess`: posix_spawn and waitpid on its pid).
    static func output(_ argv: [String], check: Bool = false) throws -> String {
        let executable = ["/usr/sbin/\(argv[0])", "/usr/bin/\(argv[0])"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? argv[0]
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.runSynchronously([executable] + argv.dropFirst())
        } catch {
            throw Failure.command(argv, "cannot start: \(error)")
        }
        if check, !result.succeeded { throw Failure.command(argv, result.output) }
        return result.output
    }

    static func canConnect(_ host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return result == 0
    }
}
