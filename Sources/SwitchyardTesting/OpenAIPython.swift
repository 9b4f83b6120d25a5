import Foundation

/// The Python that has the official `openai` package: `$YARD_OPENAI_PYTHON`, else `.build/venv/bin/python` of the
/// repository (`.ci/run` makes it). Suites that drive a gateway with the SDK skip without it locally and fail
/// without it under CI (`CI` set).
public enum OpenAIPython {
    /// The repository's root, found from this source file.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var interpreter: URL? {
        let path = ProcessInfo.processInfo.environment["YARD_OPENAI_PYTHON"] ?? repository.appendingPathComponent(".build/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    /// Whether the SDK suites run: the interpreter is there, or this is CI (where its absence is a failure).
    public static var required: Bool { interpreter != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    public static let skipMessage = "skipped: no Python with the openai package at .build/venv (run .ci/run, or set YARD_OPENAI_PYTHON)"

    /// Runs `script` (relative to the repository) with `arguments` to its end, at most `timeout`, and returns its
    /// standard output; throws with its standard error when it fails.
    public static func run(_ script: String, _ arguments: [String], folder: URL, timeout: Duration = .seconds(120)) async throws -> String {
        guard let interpreter else { throw TestFailure("no virtualenv with openai at .build/venv; .ci/run installs it") }
        let id = UUID().uuidString.prefix(6)
        let outPath = folder.appendingPathComponent("sdk-\(id).out"), errPath = folder.appendingPathComponent("sdk-\(id).err")
        FileManager.default.createFile(atPath: outPath.path, contents: nil)
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        let process = Process()
        process.executableURL = interpreter
        process.arguments = [repository.appendingPathComponent(script).path] + arguments
        process.standardOutput = try FileHandle(forWritingTo: outPath)
        process.standardError = try FileHandle(forWritingTo: errPath)
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { throw TestFailure("\(script) ran past \(timeout)") }
        let stdout = (try? String(contentsOf: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 || !stdout.isEmpty else { throw TestFailure("\(script) failed: \(stderr.suffix(2000))") }
        return stdout
    }
}
