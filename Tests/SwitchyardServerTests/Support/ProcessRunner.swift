import Foundation
import Testing
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The built executables run as real processes: `yard` to completion, `yardd` in the background.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs `name` (from the build folder) in `directory` to its end; `YARD_SERVER` and `YARD_TOKEN` come only from `environment`.
    static func run(_ name: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
                    timeout: Duration = .seconds(120)) async throws -> Result {
        let id = UUID().uuidString.prefix(6)
        let outURL = directory.appendingPathComponent("\(name)-\(id).out"), errURL = directory.appendingPathComponent("\(name)-\(id).err")
        let process = try launch(name, arguments, in: directory, environment: environment, stdout: outURL, stderr: errURL)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("\(name) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        return Result(status: process.terminationStatus, out: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      err: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    static func launch(_ name: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
                       stdout: URL, stderr: URL) throws -> Process {
        let binaries = try FleetWorkspace.binaries()
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(name)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["YARD_SERVER"] = nil
        env["YARD_TOKEN"] = nil
        env["SWITCHYARD_BIN_DIR"] = binaries.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }
}

/// The `yardd` executable on a fixed loopback port, serving a workspace's manifests and state file.
///
/// Started with the project's `Spawner` (a session of its own, waited for with `waitpid`), not Foundation's
/// `Process`: the gateways yardd starts inherit the descriptor by which `Process` learns that its child exited,
/// so `Process` would not see yardd's exit while they run.
final class YarddExecutable {
    let pid: Int32
    let port: Int
    let log: URL
    /// Set once waited for: the pid is never signalled again (it may be reused).
    private(set) var exited = false

    init(pid: Int32, port: Int, log: URL) {
        self.pid = pid
        self.port = port
        self.log = log
    }
    var server: String { "http://127.0.0.1:\(port)" }

    /// Starts yardd and returns once it listens (its log says so).
    /// `state` is the workspace's SQLite file unless given (a `postgres://` URL); `arguments` are added (`--lease 3s`).
    static func start(_ workspace: FleetWorkspace, port: Int, state: String? = nil, arguments: [String] = []) async throws -> YarddExecutable {
        let binaries = try FleetWorkspace.binaries()
        let log = workspace.folder.appendingPathComponent("yardd-\(UUID().uuidString.prefix(6)).log")
        let pid = try Spawner.spawn([binaries.appendingPathComponent("yardd").path, "--listen", "127.0.0.1:\(port)",
                                     "--manifests", workspace.folder.path, "--state", state ?? workspace.statePath] + arguments,
                                    logPath: log.path, environment: ["SWITCHYARD_BIN_DIR": binaries.path])
        let started = YarddExecutable(pid: pid, port: port, log: log)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if started.logText.contains("yardd listening on") { return started }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                started.exited = true
                throw YarddDidNotStart(log: started.logText)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        started.kill9()
        throw YarddDidNotStart(log: started.logText)
    }

    struct YarddDidNotStart: Error, CustomStringConvertible {
        var log: String
        var description: String { "yardd did not start listening:\n\(log)" }
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGKILL, and waits for the process to be gone (reaped).
    func kill9() {
        guard !exited else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exited = true
    }

    /// SIGTERM and waits; returns the exit status (SIGKILL after `grace`: -1).
    @discardableResult
    func stop(grace: Duration = .seconds(20)) async -> Int32 {
        guard !exited else { return -1 }
        kill(pid, SIGTERM)
        if let status = await Spawner.waitForExit(pid, timeout: grace) {
            exited = true
            return status
        }
        kill9()
        return -1
    }
}
