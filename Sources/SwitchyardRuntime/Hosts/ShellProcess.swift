import Foundation

/// Runs one local process of a host shell to its end with a timeout, through `ChildProcess` (files, not pipes: an
/// `ssh` that becomes a ControlMaster forks into the background with this process's descriptors, and a pipe would
/// then never see its end).
enum ShellProcess {
    static func run(_ executable: String, _ arguments: [String], stdin: Data?, timeout: Duration, host: String) async throws -> ShellResult {
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(3)).joined(separator: " ")
        do {
            let result = try await ChildProcess.run([executable] + arguments, input: stdin ?? Data(), mergeErrors: false, timeout: timeout)
            return ShellResult(status: result.status, output: result.output,
                               errorOutput: result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch ChildProcess.Failure.timedOut {
            throw HostShellFailure.timedOut(host: host, command: command, after: timeout)
        } catch {
            throw HostShellFailure.couldNotStart(host: host, command: command, why: "\(error)")
        }
    }
}
