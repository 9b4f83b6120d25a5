import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short child process to its end: posix_spawn, output to files, and `waitpid` on its own pid.
///
/// Not Foundation's `Process`: in a process that also runs SwiftNIO event loops its children were seen to exit and
/// stay zombies that nobody reaped (its termination handler and `waitUntilExit` never returned), most often under
/// many short runs (ssh, ip, pg_ctl, `nginx -t`). Output goes to files rather than pipes, so a child that leaves a
/// daemon behind holding its descriptors (`nginx` starting, an `ssh` becoming a ControlMaster) cannot hold the run.
public enum ChildProcess {
    public struct Result: Sendable, Hashable {
        public var status: Int32
        /// Standard output; with `mergeErrors`, standard error too, interleaved as written.
        public var output: String
        /// Standard error when it was kept apart (empty with `mergeErrors`).
        public var errorOutput: String
        public var succeeded: Bool { status == 0 }
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notFound(String)
        case couldNotStart(String, String)
        case timedOut(String, Duration)

        public var description: String {
            switch self {
            case .notFound(let name): "command not found: \(name) (is it installed and on PATH?)"
            case .couldNotStart(let name, let why): "could not start \(name): \(why)"
            case .timedOut(let name, let after): "\(name) did not finish within \(after) and was killed"
            }
        }
    }

    /// Runs `arguments` (the first resolved by `Executables`) with `input` on its standard input. `environment`,
    /// when given, is the whole environment; otherwise this process's is inherited. With a `timeout` the child is
    /// killed (SIGKILL) when it runs longer, and `Failure.timedOut` is thrown.
    public static func run(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
                           mergeErrors: Bool = true, timeout: Duration? = nil) async throws -> Result {
        let started = try start(arguments, environment: environment, input: input, mergeErrors: mergeErrors)
        defer { started.files.remove() }
        let clock = ContinuousClock()
        let begin = clock.now
        var pause = Duration.milliseconds(1)
        while true {
            if let status = started.poll() { return started.files.result(status: status, mergeErrors: mergeErrors) }
            if let timeout, clock.now - begin >= timeout {
                kill(started.pid, SIGKILL)
                _ = started.wait()
                throw Failure.timedOut(started.name, timeout)
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(10))
        }
    }

    /// As `run`, blocking the calling thread until the child exits (for set-up code that is not async).
    public static func runSynchronously(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
                                        mergeErrors: Bool = true) throws -> Result {
        let started = try start(arguments, environment: environment, input: input, mergeErrors: mergeErrors)
        defer { started.files.remove() }
        return started.files.result(status: started.wait(), mergeErrors: mergeErrors)
    }

    /// The decoded exit status: the code, or 128 + the signal that ended it (as shells report it).
    static func exitStatus(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    private struct Started {
        var pid: pid_t
        var name: String
        var files: Files

        func poll() -> Int32? {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return ChildProcess.exitStatus(status) }
            if result < 0, errno != EINTR { return -1 }
            return nil
        }

        func wait() -> Int32 {
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, 0)
                if result == pid { return ChildProcess.exitStatus(status) }
                if result < 0, errno != EINTR { return -1 }
            }
        }
    }

    private struct Files {
        var folder: String
        var input: String { folder + "/in" }
        var output: String { folder + "/out" }
        var errors: String { folder + "/err" }

        func result(status: Int32, mergeErrors: Bool) -> Result {
            let output = FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let errors = mergeErrors ? "" : FileManager.default.contents(atPath: errors).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return Result(status: status, output: output, errorOutput: errors)
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    private static func start(_ arguments: [String], environment: [String: String]?, input: Data?, mergeErrors: Bool) throws -> Started {
        guard let name = arguments.first, let executable = Executables.resolve(name) else {
            throw Failure.notFound(arguments.first ?? "")
        }
        let files = Files(folder: NSTemporaryDirectory() + "yard-run-\(UUID().uuidString.prefix(12))")
        do {
            try FileManager.default.createDirectory(atPath: files.folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if let input { try input.write(to: URL(fileURLWithPath: files.input)) }
        } catch {
            files.remove()
            throw Failure.couldNotStart(name, "\(error)")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : files.input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, files.output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if mergeErrors {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, files.errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        let (pid, code) = Spawner.launch(executable, Array(arguments.dropFirst()), environment: environment ?? ProcessInfo.processInfo.environment,
                                         actions: &actions, newSession: false)
        guard code == 0 else {
            files.remove()
            throw Failure.couldNotStart(name, String(cString: strerror(code)))
        }
        return Started(pid: pid, name: name, files: files)
    }
}
