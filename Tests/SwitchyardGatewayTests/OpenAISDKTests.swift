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

    struct Verdict: Decodable {
        var `case`: String
        var ok: Bool
        var detail: String
    }

    @Test(
        .enabled(if: OpenAIPython.required, Comment(rawValue: OpenAIPython.skipMessage)),
        .timeLimit(.minutes(3))
    )
    func theOfficialSDKSeesNoExceptionItDoesNotExpect() async throws {
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
                        try await Self.run([
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

    /// Runs the cases (at most 120 s) and reads one verdict per output line.
    static func run(_ arguments: [String], folder: URL) async throws -> [Verdict] {
        let text = try await OpenAIPython.run("Tests/sdk/openai_gateway_cases.py", arguments, folder: folder)
        let verdicts = try text.split(separator: "\n").map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
        if verdicts.isEmpty { throw TestFailure("the SDK script printed no verdict") }
        return verdicts
    }
}
