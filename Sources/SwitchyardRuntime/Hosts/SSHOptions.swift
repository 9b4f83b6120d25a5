import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How Switchyard runs the OpenSSH client: its own options on top of what `~/.ssh/config` (or `configFile`) says.
public struct SSHOptions: Sendable, Hashable {
    /// An ssh config file used instead of `~/.ssh/config` (`ssh -F`); nil: ssh's own. `$YARD_SSH_CONFIG` sets it.
    public var configFile: String?
    /// Keep one connection per host open and run every command through it (ControlMaster/ControlPersist).
    public var reuseConnections: Bool
    /// Where the control sockets live: a folder of Switchyard's own, mode 0700, with a short path (a Unix socket
    /// path is limited to 107 bytes). `$YARD_SSH_CONTROL_DIR` sets it.
    public var controlDirectory: String
    /// How long an idle master connection stays open.
    public var persist: Duration
    public var connectTimeout: Duration

    public init(configFile: String? = nil, reuseConnections: Bool = true, controlDirectory: String = SSHOptions.defaultControlDirectory,
                persist: Duration = .seconds(120), connectTimeout: Duration = .seconds(5)) {
        self.configFile = configFile
        self.reuseConnections = reuseConnections
        self.controlDirectory = controlDirectory
        self.persist = persist
        self.connectTimeout = connectTimeout
    }

    /// `/tmp/yard-ssh-UID`.
    public static var defaultControlDirectory: String { "/tmp/yard-ssh-\(getuid())" }

    /// The options from the environment: `YARD_SSH_CONFIG`, `YARD_SSH_CONTROL_DIR`, `YARD_SSH_REUSE=0`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SSHOptions {
        var options = SSHOptions(configFile: environment["YARD_SSH_CONFIG"].flatMap { $0.isEmpty ? nil : $0 })
        if let folder = environment["YARD_SSH_CONTROL_DIR"], !folder.isEmpty { options.controlDirectory = folder }
        if environment["YARD_SSH_REUSE"] == "0" { options.reuseConnections = false }
        return options
    }

    /// The `ssh` arguments before the destination.
    func arguments(for host: SSHDestination) -> [String] {
        var words: [String] = []
        if let configFile { words += ["-F", configFile] }
        words += ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(Int(connectTimeout.seconds.rounded(.up)))"]
        if reuseConnections {
            words += ["-o", "ControlMaster=auto", "-o", "ControlPath=\(controlDirectory)/%C",
                      "-o", "ControlPersist=\(Int(persist.seconds.rounded(.up)))"]
        } else {
            words += ["-o", "ControlMaster=no", "-o", "ControlPath=none"]
        }
        if let user = host.user { words += ["-l", user] }
        if let port = host.port { words += ["-p", "\(port)"] }
        if let identity = host.identityFile { words += ["-i", identity, "-o", "IdentitiesOnly=yes"] }
        return words
    }

    /// Makes the control folder (0700) when connections are reused.
    func prepare() throws {
        guard reuseConnections else { return }
        try FileManager.default.createDirectory(atPath: controlDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// Where `ssh` connects: the host part of a topology's host.
public struct SSHDestination: Sendable, Hashable {
    public var address: String
    public var user: String?
    public var port: Int?
    public var identityFile: String?

    public init(address: String, user: String? = nil, port: Int? = nil, identityFile: String? = nil) {
        self.address = address
        self.user = user
        self.port = port
        self.identityFile = identityFile
    }

    public var name: String { (user.map { "\($0)@" } ?? "") + address + (port.map { ":\($0)" } ?? "") }
}
