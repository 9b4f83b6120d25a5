import ArgumentParser
import Foundation
import SwitchyardServer

/// `--server URL` and `--token T` (or `$YARD_SERVER` and `$YARD_TOKEN`): with a server, a command goes through
/// yardd's API; without one it works on the state in .yard/ here.
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("yardd's URL (http://HOST:PORT or HOST:PORT); default $YARD_SERVER. Without one, the command works on .yard/ here.",
                               valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The bearer token for --server; default $YARD_TOKEN.", valueName: "token"))
    var token: String?

    var resolvedServer: String? {
        let value = server ?? ProcessInfo.processInfo.environment["YARD_SERVER"]
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The API client when a server is named; nil to work locally.
    func client() throws -> YarddClient? {
        guard let resolvedServer else { return nil }
        do {
            return try YarddClient(server: resolvedServer, token: token ?? ProcessInfo.processInfo.environment["YARD_TOKEN"])
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// Runs a call to yardd; an error is printed as what to do about it and ends the command with status 1.
func remote<T>(_ body: () async throws(YarddClient.Failure) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        printError("yard: \(error)")
        throw ExitCode(1)
    }
}
