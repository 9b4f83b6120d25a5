import Foundation

/// A host reached with the OpenSSH client, so `~/.ssh/config`, `known_hosts`, agents and jump hosts work as they do
/// for a person. With `reuseConnections` the first command opens a master connection and later ones (also from
/// later `yard` runs, while it persists) ride on it: no new handshake per command.
public struct SSHHostShell: HostShell {
    public let destination: SSHDestination
    public let options: SSHOptions

    public init(destination: SSHDestination, options: SSHOptions = .fromEnvironment()) {
        self.destination = destination
        self.options = options
    }

    public var hostName: String { destination.name }

    public func run(_ argv: [String], stdin: Data?, timeout: Duration) async throws -> ShellResult {
        guard let ssh = Executables.resolve("ssh") else {
            throw HostShellFailure.couldNotStart(host: hostName, command: "ssh", why: "the OpenSSH client (ssh) is not installed")
        }
        try options.prepare()
        let remote = argv.map(Self.quote).joined(separator: " ")
        let result = try await ShellProcess.run(ssh, options.arguments(for: destination) + [destination.address, "--", remote],
                                                stdin: stdin, timeout: timeout, host: hostName)
        // 255: ssh itself failed (connection refused, key refused, host key unknown), not the command.
        if result.status == 255 {
            throw HostShellFailure.unreachable(host: hostName, why: result.errorOutput.isEmpty ? "ssh exited with status 255" : result.errorOutput)
        }
        return result
    }

    /// Closes the master connection of this host, if one is open (`ssh -O exit`).
    public func closeConnection() async {
        guard options.reuseConnections, let ssh = Executables.resolve("ssh") else { return }
        _ = try? await ShellProcess.run(ssh, options.arguments(for: destination) + ["-O", "exit", destination.address], stdin: nil,
                                        timeout: .seconds(5), host: hostName)
    }

    /// One word for a POSIX shell: in single quotes, each `'` as `'\''`.
    static func quote(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0)) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
