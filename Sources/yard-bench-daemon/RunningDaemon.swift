import Foundation

/// yardd as a child process on 127.0.0.1 with an ephemeral port, its log in the workspace.
struct RunningDaemon {
    let process: Process
    let port: Int
    var pid: Int32 { process.processIdentifier }

    static func start(binary: String, workspace: BenchWorkspace, arguments: [String] = []) async throws -> RunningDaemon {
        let log = workspace.folder.appendingPathComponent("yardd.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--listen", "127.0.0.1:0", "--manifests", workspace.folder.path, "--state", workspace.statePath] + arguments
        process.currentDirectoryURL = workspace.folder
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "yardd listening on "),
               let port = text[range.upperBound...].prefix(while: { $0 != "\n" }).split(separator: ":").last.flatMap({ Int($0) }) {
                return RunningDaemon(process: process, port: port)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw BenchError("yardd did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// SIGTERM, then SIGKILL after 10 s.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}
