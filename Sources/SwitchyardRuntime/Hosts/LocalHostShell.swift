import Foundation

/// This machine: commands run as child processes of Switchyard.
public struct LocalHostShell: HostShell {
    public init() {}

    public var hostName: String { "this machine" }

    public func run(_ argv: [String], stdin: Data?, timeout: Duration) async throws -> ShellResult {
        guard let first = argv.first, let executable = Executables.resolve(first) else {
            throw HostShellFailure.couldNotStart(host: hostName, command: argv.first ?? "", why: "not found on PATH")
        }
        return try await ShellProcess.run(executable, Array(argv.dropFirst()), stdin: stdin, timeout: timeout, host: hostName)
    }
}
