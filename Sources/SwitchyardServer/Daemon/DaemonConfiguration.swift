import Foundation
import SwitchyardCore

/// What `yardd` is started with: where it listens, where its state and manifests are.
public struct DaemonConfiguration: Sendable, Hashable {
    public var host: String
    /// 0 picks a free port (tests); the bound one is reported by `Daemon.makeServiceGroup(onListening:)`.
    public var port: Int
    /// The state store: an SQLite file shared with the CLI, or a `postgres://` URL shared by several daemons.
    public var statePath: String
    /// The folder holding `topologies/` and `playbooks/`; releases run with it as their working directory.
    public var manifestsDirectory: String
    /// Serve over TLS with these PEM files; nil for plain HTTP (loopback, or `insecurePublic`).
    public var tls: TLSFiles?
    /// Allows plain HTTP on a non-loopback address (see `BindPolicy`).
    public var insecurePublic: Bool
    /// A connection with no request in progress for this long is closed: a client that opens a connection and sends
    /// its request head slowly, or not at all, holds it this long at most (the head counts only once it is complete).
    public var idleTimeout: Duration
    /// Connections served at once; past it, new ones wait in the listen backlog until one closes.
    public var maxConnections: Int
    /// Release event streams one token may follow at once; past it, 429 `too-many-streams`.
    public var maxStreamsPerToken: Int
    /// The leadership lease among daemons sharing the store (one daemon alone leads at once).
    public var election: ElectionSettings
    /// The address other daemons name when this one leads, for clients to go to; nil: `http(s)://HOST:PORT` as bound.
    public var advertise: String?

    public init(host: String = "127.0.0.1", port: Int = 7780, statePath: String = ".yard/state.sqlite", manifestsDirectory: String = ".",
                tls: TLSFiles? = nil, insecurePublic: Bool = false, idleTimeout: Duration = .seconds(10), maxConnections: Int = 4096, maxStreamsPerToken: Int = 256,
                election: ElectionSettings = ElectionSettings(), advertise: String? = nil) {
        self.election = election
        self.advertise = advertise
        self.maxStreamsPerToken = maxStreamsPerToken
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.host = host
        self.port = port
        self.statePath = statePath
        self.manifestsDirectory = manifestsDirectory
        self.tls = tls
        self.insecurePublic = insecurePublic
    }

    /// Parses a duration as manifests write it (`150ms`, `10s`, `2m`).
    public static func parseDuration(_ text: String) -> Duration? {
        TimeSpan(parsing: text).map { .milliseconds($0.milliseconds) }
    }

    /// Parses `HOST:PORT` (`127.0.0.1:7780`, `[::1]:7780`, `:7780` for loopback).
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
