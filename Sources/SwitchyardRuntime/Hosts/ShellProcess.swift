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
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL), input = try FileHandle(forReadingFrom: inURL)
        defer { try? out.close(); try? err.close(); try? input.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(3)).joined(separator: " ")
        let status: Int32? = try await withCheckedThrowingContinuation { continuation in
            let finished = Finished()
            process.terminationHandler = { done in
                if finished.claim() { continuation.resume(returning: done.terminationStatus) }
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                if finished.claim() { continuation.resume(throwing: HostShellFailure.couldNotStart(host: host, command: command, why: "\(error)")) }
                return
            }
            let pid = process.processIdentifier
            Task {
                try? await Task.sleep(for: timeout)
                if finished.claim() {
                    kill(pid, SIGKILL)
                    continuation.resume(returning: nil)
                }
            }
        }
        guard let status else { throw HostShellFailure.timedOut(host: host, command: command, after: timeout) }
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let errorOutput = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ShellResult(status: status, output: output, errorOutput: errorOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Whichever of the process's end and the timeout comes first resumes the continuation, once.
private final class Finished: @unchecked Sendable {
    // Safe: the flag is only read and written under the lock.
    private let lock = NSLock()
    private var done = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
