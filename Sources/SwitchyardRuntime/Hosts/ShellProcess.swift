import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one local process to its end with a timeout. Output goes to temporary files, not pipes: an `ssh` that
/// becomes a ControlMaster forks into the background with this process's descriptors, and a pipe would then
/// never see its end.
enum ShellProcess {
    static func run(_ executable: String, _ arguments: [String], stdin: Data?, timeout: Duration, host: String) async throws -> ShellResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err"), inURL = folder.appendingPathComponent("in")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(3)).joined(separator: " ")
        // posix_spawn and waitpid on the pid, not Foundation's Process: its termination handler was seen never to run
        // here, the child left a zombie nobody reaped.
        let pid: Int32
        do {
            pid = try Spawner.spawn([executable] + arguments, logPath: outURL.path, input: inURL.path, errorPath: errURL.path)
        } catch {
            throw HostShellFailure.couldNotStart(host: host, command: command, why: "\(error)")
        }
        let status = await Spawner.waitForExit(pid, timeout: timeout)
        if status == nil {
            kill(pid, SIGKILL)
            _ = await Spawner.waitForExit(pid, timeout: .seconds(2))
        }
        guard let status else { throw HostShellFailure.timedOut(host: host, command: command, after: timeout) }
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let errorOutput = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ShellResult(status: status, output: output, errorOutput: errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

