import Foundation

/// What `yardd` is started with: where it listens, where its state and manifests are.
public struct DaemonConfiguration: Sendable, Hashable {
    public var host: String
    /// 0 picks a free port (tests); the bound one is reported by `Daemon.makeServiceGroup(onListening:)`.
    public var port: Int
    /// The SQLite state file, shared with the CLI.
    public var statePath: String
    /// The folder holding `topologies/` and `playbooks/`; releases run with it as their working directory.
    public var manifestsDirectory: String
    /// Serve over TLS with these PEM files; nil for plain HTTP (loopback, or `insecurePublic`).
    public var tls: TLSFiles?
    /// Allows plain HTTP on a non-loopback address (see `BindPolicy`).
    public var insecurePublic: Bool
    public init(host: String = "127.0.0.1", port: Int = 7780, statePath: String = ".yard/state.sqlite", manifestsDirectory: String = ".",
                tls: TLSFiles? = nil, insecurePublic: Bool = false) {
        self.host = host
        self.port = port
        self.statePath = statePath
        self.manifestsDirectory = manifestsDirectory
        self.tls = tls
        self.insecurePublic = insecurePublic
    }

    /// Parses `HOST:PORT` (`127.0.0.1:7780`, `[::1]:7780`, `:7780` for loopback).
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
