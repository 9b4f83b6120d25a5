import ArgumentParser
import Foundation
import Logging
import SwitchyardServer

@main
struct Yardd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yardd",
        abstract: "The Switchyard daemon: runs releases and serves the HTTP API.",
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
        stops it gracefully; releases in flight stay journaled and resume at the next start.

        Example:
          yardd --state .yard/state.sqlite --listen 127.0.0.1:7780 --manifests .

        /v1 needs a bearer token: create the first one with `yardd token create NAME --role admin`.
        """
    )

    @Option(help: "The SQLite state file, shared with the CLI.") var state = ".yard/state.sqlite"
    @Option(help: "HOST:PORT to listen on (loopback by default).") var listen = "127.0.0.1:7780"
    @Option(help: "The folder holding topologies/ and playbooks/.") var manifests = "."

    func run() async throws {
        guard let (host, port) = DaemonConfiguration.parseListen(listen) else {
            throw ValidationError("--listen: expected HOST:PORT such as 127.0.0.1:7780, got \(listen)")
        }
        let configuration = DaemonConfiguration(host: host, port: port, statePath: state, manifestsDirectory: manifests)
        let daemon: Daemon
        do {
            daemon = try Daemon.open(configuration)
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
