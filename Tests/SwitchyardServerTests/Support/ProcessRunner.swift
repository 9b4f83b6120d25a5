import Foundation
import Testing
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
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
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
struct YarddProcess {
    let process: Process
    let port: Int
    let log: URL
    var server: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }

    /// Starts yardd and returns once it listens (its log says so).
    static func start(_ workspace: FleetWorkspace, port: Int) async throws -> YarddProcess {
        let log = workspace.folder.appendingPathComponent("yardd-\(UUID().uuidString.prefix(6)).log")
        let process = try ProcessRunner.launch("yardd", ["--listen", "127.0.0.1:\(port)", "--manifests", workspace.folder.path, "--state", workspace.statePath],
                                               in: workspace.folder, stdout: log, stderr: log)
        let started = YarddProcess(process: process, port: port, log: log)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if started.logText.contains("yardd listening on") { return started }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        throw YarddDidNotStart(log: started.logText)
    }

    struct YarddDidNotStart: Error, CustomStringConvertible {
        var log: String
        var description: String { "yardd did not start listening:\n\(log)" }
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGKILL, and waits for the process to be gone.
    func kill9() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and waits; returns the exit status (SIGKILL after `grace`, then the status is that of the kill).
    @discardableResult
    func stop(grace: Duration = .seconds(20)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
