import Foundation

/// Runs commands on one host: this machine, or another over SSH. What the SSH instance driver starts and finds
/// instances with, and what drives a load balancer node's nginx.
public protocol HostShell: Sendable {
    /// The host as people name it in messages (`root@10.77.0.2`, `this machine`).
    var hostName: String { get }
    /// Runs `argv` (no shell on this side; over SSH each word is quoted for the remote shell) with `stdin` on its
    /// standard input, and returns its status and output once it exits, or throws `HostShellFailure.timedOut`.
    func run(_ argv: [String], stdin: Data?, timeout: Duration) async throws -> ShellResult
}

public struct ShellResult: Sendable, Hashable {
    public var status: Int32
    public var output: String
    public var errorOutput: String
    public var succeeded: Bool { status == 0 }

    public init(status: Int32, output: String, errorOutput: String) {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }
}

public enum HostShellFailure: Error, Sendable, CustomStringConvertible {
    case timedOut(host: String, command: String, after: Duration)
    case couldNotStart(host: String, command: String, why: String)
    /// The command ran and failed.
    case failed(host: String, command: String, status: Int32, output: String)
    /// SSH could not reach or log in to the host (sshd down, key refused, unknown host key).
    case unreachable(host: String, why: String)

    public var description: String {
        switch self {
        case .timedOut(let host, let command, let after): "\(host): \(command) did not finish within \(after)"
        case .couldNotStart(let host, let command, let why): "\(host): could not start \(command): \(why)"
        case .failed(let host, let command, let status, let output):
            "\(host): \(command) failed with status \(status)\(output.isEmpty ? "" : ": \(output)")"
        case .unreachable(let host, let why): "host \(host) cannot be reached over SSH: \(why)"
        }
    }
}

extension HostShell {
    public func run(_ argv: [String], timeout: Duration = .seconds(30)) async throws -> ShellResult {
        try await run(argv, stdin: nil, timeout: timeout)
    }

    /// Runs a POSIX `sh` script on the host; `arguments` are its `$1`, `$2`, …
    public func script(_ text: String, _ arguments: [String] = [], stdin: Data? = nil, timeout: Duration = .seconds(30)) async throws -> ShellResult {
        try await run(["sh", "-c", text, "sh"] + arguments, stdin: stdin, timeout: timeout)
    }

    /// Writes `contents` to `path` on the host atomically: a temporary file beside it (same file system), then
    /// `mv` over the old one, so a reader sees the old file or the new one, never half of one. Creates the folder.
    public func writeFile(_ path: String, contents: Data, mode: String = "0644", timeout: Duration = .seconds(30)) async throws {
        let script = """
            set -e
            dir=$(dirname -- "$1"); mkdir -p -- "$dir"
            tmp="$1.yard-tmp.$$"
            trap 'rm -f -- "$tmp"' EXIT
            cat > "$tmp"; chmod "$2" "$tmp"; mv -f -- "$tmp" "$1"
            trap - EXIT
            """
        let result = try await self.script(script, [path, mode], stdin: contents, timeout: timeout)
        guard result.succeeded else {
            throw HostShellFailure.failed(host: hostName, command: "write \(path)", status: result.status, output: result.errorOutput)
        }
    }
}
