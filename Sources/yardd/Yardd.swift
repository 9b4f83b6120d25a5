import ArgumentParser
import Foundation
import Logging
import SwitchyardBuildInfo
import SwitchyardRuntime
import SwitchyardServer

@main
struct Yardd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yardd",
        abstract: "The Switchyard daemon: runs releases and serves the HTTP API.",
        version: BuildInfo.line("yardd"),
        subcommands: [Serve.self, TokenCommand.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The Switchyard daemon: runs releases and serves the HTTP API.",
        discussion: """
        Reads topologies/ and playbooks/ under --manifests, opens the state store shared with `yard`, \
        resumes releases a previous run left unfinished, and serves /v1 on --listen. SIGTERM or SIGINT \
        stops it gracefully; releases in flight stay journaled and resume at the next start. SIGHUP (or \
        POST /v1/reload) reads the manifests again: an invalid set is refused with its located errors and \
        the previous one keeps serving. GET /metrics serves Prometheus metrics without a token.

        Each option can also come from the environment (the flag wins): YARDD_STATE, YARDD_LISTEN, \
        YARDD_MANIFESTS, YARDD_LEASE, YARDD_ADVERTISE, YARDD_TLS_CERT, YARDD_TLS_KEY, YARDD_INSECURE_PUBLIC=1.

        Several daemons may share one PostgreSQL store (--state postgres://…): one leads (fires drill schedules, \
        drives releases and drills), the others are standbys that serve reads and answer a release or drill start \
        with 503 not-leader naming the leader. When the leader dies, freezes or loses the store, a standby takes \
        over within --lease plus a third of it and resumes what was unfinished. See docs/ha.md.

        Listening on anything but loopback needs TLS (--tls-cert and --tls-key, PEM files), or \
        --insecure-public when a TLS-terminating proxy in front is the only way in.

        Examples:
          yardd --state .yard/state.sqlite --listen 127.0.0.1:7780 --manifests .
          yardd --listen 0.0.0.0:7443 --tls-cert cert.pem --tls-key key.pem
          kill -HUP $(pgrep -x yardd)          # reload the manifests

        /v1 needs a bearer token: create the first one with `yardd token create NAME --role admin`.
        """
    )

    @Option(help: "The state store: an SQLite file shared with the CLI (default .yard/state.sqlite), or postgres://USER@HOST:PORT/DATABASE shared by several daemons (env YARDD_STATE; the password from PGPASSWORD).") var state: String?
    @Option(help: "HOST:PORT to listen on (default 127.0.0.1:7780; env YARDD_LISTEN).") var listen: String?
    @Option(help: "The folder holding topologies/ and playbooks/ (default .; env YARDD_MANIFESTS).") var manifests: String?
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (with --tls-key; env YARDD_TLS_CERT).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert (env YARDD_TLS_KEY).") var tlsKey: String?
    @Flag(name: .customLong("insecure-public"), help: "Allow plain HTTP on a non-loopback address (env YARDD_INSECURE_PUBLIC=1); warned at start.")
    var insecurePublic = false
    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp(
        "Close a connection with no request in progress after this long, including one whose request head is still arriving (default 10s).",
        valueName: "duration"))
    var idleTimeout: String = "10s"
    @Option(name: .customLong("max-connections"), help: "Connections served at once; more wait in the listen backlog (default 4096).")
    var maxConnections: Int = 4096
    @Option(name: .customLong("max-streams-per-token"), help: "Release event streams one token may hold open at once (default 256).")
    var maxStreamsPerToken: Int = 256
    @Option(help: ArgumentHelp(
        "The leadership lease among daemons sharing a state store (default 6s; env YARDD_LEASE): a standby takes over at most this long plus a third of it after the leader stops renewing.",
        valueName: "duration"))
    var lease: String?
    @Option(help: ArgumentHelp("The address clients reach this daemon at, named by standbys when it leads (default http(s)://LISTEN; env YARDD_ADVERTISE).",
                               valueName: "url"))
    var advertise: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let listen = self.listen ?? environment["YARDD_LISTEN"] ?? "127.0.0.1:7780"
        guard let (host, port) = DaemonConfiguration.parseListen(listen) else {
            throw ValidationError("--listen: expected HOST:PORT such as 127.0.0.1:7780, got \(listen)")
        }
        let certificate = tlsCert ?? environment["YARDD_TLS_CERT"], key = tlsKey ?? environment["YARDD_TLS_KEY"]
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP on loopback")
        }
        let tls = certificate.flatMap { certificate in key.map { TLSFiles(certificate: certificate, key: $0) } }
        guard let timeout = DaemonConfiguration.parseDuration(idleTimeout), timeout >= .milliseconds(100) else {
            throw ValidationError("--idle-timeout: expected a duration of at least 100ms such as 10s, got \(idleTimeout)")
        }
        let leaseText = lease ?? environment["YARDD_LEASE"] ?? "6s"
        guard let leaseDuration = DaemonConfiguration.parseDuration(leaseText), leaseDuration >= .seconds(1), leaseDuration <= .seconds(300) else {
            throw ValidationError("--lease: expected a duration from 1s to 5m such as 6s, got \(leaseText)")
        }
        let advertised = advertise ?? environment["YARDD_ADVERTISE"]
        if let advertised, URL(string: advertised)?.host == nil || !(advertised.hasPrefix("http://") || advertised.hasPrefix("https://")) {
            throw ValidationError("--advertise: expected an http:// or https:// URL such as https://yardd-1.example:7443, got \(advertised)")
        }
        guard maxConnections >= 16 else { throw ValidationError("--max-connections: at least 16, got \(maxConnections)") }
        guard maxStreamsPerToken >= 1 else { throw ValidationError("--max-streams-per-token: at least 1, got \(maxStreamsPerToken)") }
        OpenFileLimit.raiseToHardLimit()
        let insecure = insecurePublic || ["1", "true", "yes"].contains(environment["YARDD_INSECURE_PUBLIC"]?.lowercased() ?? "")
        let configuration = DaemonConfiguration(host: host, port: port, statePath: state ?? environment["YARDD_STATE"] ?? ".yard/state.sqlite",
                                                manifestsDirectory: manifests ?? environment["YARDD_MANIFESTS"] ?? ".",
                                                tls: tls, insecurePublic: insecure, idleTimeout: timeout, maxConnections: maxConnections,
                                                maxStreamsPerToken: maxStreamsPerToken, election: ElectionSettings(lease: leaseDuration),
                                                advertise: advertised)
        let daemon: Daemon
        do {
            daemon = try await Daemon.open(configuration)
        } catch let error as ManifestCatalog.Invalid {
            FileHandle.standardError.write(Data("\(error)\nyardd: fix the manifests above (yard validate shows them too)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("yardd: \(error)\n".utf8))
            throw ExitCode(1)
        }
        try await daemon.makeServiceGroup().run()
    }
}
