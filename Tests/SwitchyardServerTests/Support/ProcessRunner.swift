import Foundation
import SwitchyardTesting
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

extension YarddExecutable {
    /// Starts yardd on the workspace's manifests and returns once it listens. `state` is the workspace's SQLite file
    /// unless given (a `postgres://` URL); `arguments` are added (`--lease 3s`).
    static func start(_ workspace: FleetWorkspace, port: Int, state: String? = nil, arguments: [String] = []) async throws -> YarddExecutable {
        try await start(binaries: try FleetWorkspace.binaries(), manifests: workspace.folder, port: port, state: state ?? workspace.statePath,
                        arguments: arguments)
    }
}
