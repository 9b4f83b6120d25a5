import Foundation
import Testing

/// A running `yardd` executable in a workspace folder, for tests that signal it: its pid, its port once it
/// logs `yardd listening on`, its log. `stop()` sends SIGTERM and waits; a process still running at the
/// end of `with` is killed.
struct YarddProcess {
    let process: Process
    let port: Int
    let logFile: URL
    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    static func with(in folder: URL, _ arguments: [String], environment: [String: String] = [:],
                     _ body: (YarddProcess) async throws -> Void) async throws {
        let binary = DaemonHarness.repositoryRoot.appendingPathComponent(".build/debug/yardd")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "run `swift build --build-tests` first")
        let logFile = folder.appendingPathComponent("yardd-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--manifests", folder.path, "--state", folder.appendingPathComponent(".yard/state.sqlite").path]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let read = { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
        let deadline = ContinuousClock.now + .seconds(30)
        var port: Int?
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            port = YarddProcessTests.listeningPort(read())
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let found = try #require(port, "yardd did not start: \(read())")
        let running = YarddProcess(process: process, port: found, logFile: logFile)
        try await body(running)
        try await running.stop()
    }

    /// SIGTERM, then waits (at most 20 s) for the exit; returns the status.
    @discardableResult
    func stop() async throws -> Int32 {
        if process.isRunning { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!process.isRunning, "yardd did not stop: \(log)")
        return process.terminationStatus
    }
}
