import Foundation
import SwitchyardTesting
import Testing

/// The real `yard-gateway` judged by the official OpenAI Python SDK (`openai`, installed by
/// `.ci/run` into `.build/venv`): models, completions, `n`, streams with `include_usage`, streams
/// with pings, content parts, `stop`, 400s, auth errors, rate limits, resume, and a mid-stream
/// upstream failure. The cases live in `Tests/sdk/openai_gateway_cases.py`; each prints a verdict.
///
/// Without the virtualenv the suite is skipped locally; under CI (`CI` set) it fails instead.
@Suite struct OpenAISDKTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$YARD_OPENAI_PYTHON`, else `.build/venv/bin/python`, if it exists.
    static var python: URL? {
        let path = ProcessInfo.processInfo.environment["YARD_OPENAI_PYTHON"] ?? root.appendingPathComponent(".build/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    static var required: Bool { python != nil || ProcessInfo.processInfo.environment["CI"] != nil }

    struct Verdict: Decodable {
        var `case`: String
        var ok: Bool
        var detail: String
    }

    @Test(
        .enabled(if: OpenAISDKTests.required, "skipped: no Python with the openai package at .build/venv (run .ci/run, or set YARD_OPENAI_PYTHON)"),
        .timeLimit(.minutes(3))
    )
    func theOfficialSDKSeesNoExceptionItDoesNotExpect() async throws {
        let python = try #require(Self.python, "no virtualenv with openai at .build/venv; .ci/run installs it")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-sdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = folder.appendingPathComponent("keys")
        try "sk-sdk\nsk-sdk-other\n".write(to: keys, atomically: true, encoding: .utf8)

        let verdicts = try await GatewayProcess.with(["--api-keys", keys.path, "--ping-interval", "100ms", "--tokens", "4", "--token-delay", "5ms"]) { main in
            try await GatewayProcess.with(["--rate-limit", "1/m:2", "--token-delay", "1ms"]) { limited in
                try await GatewayProcess.with(["--fault-stall-after", "3", "--token-delay", "5ms"]) { back in
                    let front = ["--upstream", back.baseURL + "/v1", "--upstream-timeout", "600ms", "--upstream-attempts", "1"]
                    return try await GatewayProcess.with(front) { front in
                        try await Self.run(python, [
                            Self.root.appendingPathComponent("Tests/sdk/openai_gateway_cases.py").path,
                            "--base-url", main.baseURL + "/v1", "--key", "sk-sdk", "--other-key", "sk-sdk-other",
                            "--limited-base-url", limited.baseURL + "/v1", "--proxy-base-url", front.baseURL + "/v1",
                        ], folder: folder)
                    }
                }
            }
        }
        let expected = [
            "models", "completion", "n choices", "stream with include_usage", "stream with pings", "content parts", "stop",
            "empty messages", "readable 400", "auth errors", "rate limit", "resume", "upstream fails mid-stream",
        ]
        #expect(verdicts.map(\.case) == expected)
        for verdict in verdicts {
            #expect(verdict.ok, "\(verdict.case): \(verdict.detail)")
        }
    }

    /// Runs the script (at most 120 s, its output in files of `folder`) and reads one verdict per output line.
    static func run(_ python: URL, _ arguments: [String], folder: URL) async throws -> [Verdict] {
        let outPath = folder.appendingPathComponent("stdout")
        let errPath = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outPath.path, contents: nil)
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outPath)
        process.standardError = try FileHandle(forWritingTo: errPath)
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { throw TestFailure("the SDK script ran past 120 s") }
        let text = (try? String(contentsOf: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errPath, encoding: .utf8)) ?? ""
        let verdicts = try text.split(separator: "\n").map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
        if verdicts.isEmpty { throw TestFailure("the SDK script printed no verdict; stderr: \(stderr.suffix(2000))") }
        return verdicts
    }
}
