import ArgumentParser
import Foundation
import SwitchyardServer

/// `--server URL` and the token (`--token-file FILE`, `$YARD_TOKEN`, or `--token T`, which other users can read in `ps`):
/// with a server, a command goes through yardd's API; without one it works on the state in .yard/ here.
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("yardd's URL (http://HOST:PORT or HOST:PORT), or several separated by commas (daemons sharing one store: "
                               + "the leader is found); default $YARD_SERVER. Without one, the command works on .yard/ here.",
                               valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("A file holding the bearer token for --server (its first line); default $YARD_TOKEN_FILE.",
                               valueName: "file"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("The bearer token for --server; default $YARD_TOKEN. Prefer --token-file or $YARD_TOKEN: "
                               + "a command line is visible to every user of the machine (ps).", valueName: "token"))
    var token: String?

    var resolvedServer: String? {
        let value = server ?? ProcessInfo.processInfo.environment["YARD_SERVER"]
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The token: `--token`, else the file of `--token-file` or `$YARD_TOKEN_FILE`, else `$YARD_TOKEN`.
    func resolvedToken() throws -> String? {
        if let token { return token }
        let environment = ProcessInfo.processInfo.environment
        if let path = tokenFile ?? environment["YARD_TOKEN_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("--token-file \(path): cannot read it (\(error.localizedDescription))")
            }
            guard let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }), !line.isEmpty else {
                throw ValidationError("--token-file \(path): the file is empty; put the token (yard_…) on its first line")
            }
            return line
        }
        return environment["YARD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The API client when a server is named; nil to work locally.
    func client() throws -> YarddClient? {
        guard let resolvedServer else { return nil }
        let token = try resolvedToken()
        do {
            return try YarddClient(server: resolvedServer, token: token)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// Runs a call to yardd; its error ends the command with status 1, saying what to do about it (with the API's code).
func remote<T>(_ body: () async throws(YarddClient.Failure) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw CommandFailure(error)
    }
}
