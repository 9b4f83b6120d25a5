import Foundation
import AsyncHTTPClient
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

/// The OpenAI surface over a real loopback connection: models, usage, `n`, `stop`, content parts.
@Suite struct OpenAISurfaceTests {
    static func chat(_ fields: String, prompt: String = "surface") -> String {
        #"{"model":"yard-local","messages":[{"role":"user","content":"\#(prompt)"}]"# + (fields.isEmpty ? "" : "," + fields) + "}"
    }

    @Test func modelsAreListedAndLookedUp() async throws {
        try await InProcessGateway.with({ $0.models = ["yard-local", "yard-big"]; $0.apiKeys = ["sk-m"] }) { gateway async throws in
            let auth = [("Authorization", "Bearer sk-m")]
            var request = try await TestHTTP.get(gateway.baseURL + "/v1/models")
            #expect(request.status == 401, "models need the key as chat does")
            request = try await Self.get(gateway.baseURL + "/v1/models", headers: auth)
            #expect(request.status == 200)
            #expect(request.body.contains(#""object":"list""#))
            #expect(request.body.contains(#"{"created":0,"id":"yard-big","object":"model","owned_by":"switchyard"}"#))
            let one = try await Self.get(gateway.baseURL + "/v1/models/yard-big", headers: auth)
            #expect(one.status == 200 && one.body.contains(#""id":"yard-big""#))
            let missing = try await Self.get(gateway.baseURL + "/v1/models/gpt-9", headers: auth)
            #expect(missing.status == 404)
            #expect(missing.body.contains(#""code":"model_not_found""#) && missing.body.contains("invalid_request_error"))
        }
    }

    static func get(_ url: String, headers: [(String, String)]) async throws -> TestHTTP.Answer {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return try await TestHTTP.send(request, timeout: .seconds(10))
    }

    @Test func includeUsageAddsAUsageChunkBeforeDone() async throws {
        try await InProcessGateway.with { gateway async throws in
            let stream = try await TestHTTP.stream(
                gateway.chatURL, body: Self.chat(#""stream":true,"max_tokens":3,"stream_options":{"include_usage":true}"#)
            )
            #expect(stream.sawDone)
            let events = stream.events
            #expect(events.count == 7)  // role, 3 tokens, finish, usage, [DONE]
            let usage = events[events.count - 2].data
            #expect(usage.contains(#""choices":[]"#) && usage.contains(#""completion_tokens":3"#) && usage.contains(#""prompt_tokens":1"#))
            #expect(events.dropLast(2).allSatisfy { $0.data.contains(#""usage":null"#) })
        }
    }

    @Test func nStopMaxCompletionTokensAndContentParts() async throws {
        try await InProcessGateway.with { gateway async throws in
            let seed = LocalModel.seed(for: "surface")
            let whole = try await TestHTTP.post(gateway.chatURL, body: Self.chat(#""max_completion_tokens":5,"max_tokens":50,"n":2"#))
            let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(whole.body.utf8))
            #expect(completion.choices.map(\.index) == [0, 1])
            #expect(completion.choices[0].message.content == LocalModel.answer(seed: seed, tokens: 5))
            #expect(completion.usage?.completionTokens == 10)

            let full = LocalModel.answer(seed: seed, tokens: 8)
            let word = String(full.split(separator: " ")[4])
            let stopped = try await TestHTTP.post(gateway.chatURL, body: Self.chat(#""max_tokens":8,"stop":["\#(word)"]"#))
            let stoppedCompletion = try JSONDecoder().decode(ChatCompletion.self, from: Data(stopped.body.utf8))
            #expect(stoppedCompletion.choices[0].message.content == String(full[..<full.range(of: word)!.lowerBound]))

            let parts = #"{"model":"m","max_tokens":4,"messages":[{"role":"user","content":[{"type":"text","text":"surface"}]}],"stream":true}"#
            let stream = try await TestHTTP.stream(gateway.chatURL, body: parts)
            #expect(try stream.text() == LocalModel.answer(seed: seed, tokens: 4))
        }
    }

    @Test func aPingIsOneCommentLineNeverFollowedByABlankLine() async throws {
        try await InProcessGateway.with({ $0.pingInterval = .ms(20) }) { gateway async throws in
            let raw = try await TestHTTP.post(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2), headers: [("X-Yard-Token-Delay", "120ms")]
            )
            #expect(raw.body.contains(": ping\n"))
            #expect(!raw.body.contains(": ping\n\n"))
            // Every blank line ends an event that has data: no empty event for any decoder to dispatch.
            let frames = raw.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(frames.allSatisfy { frame in frame.split(separator: "\n").contains { $0.hasPrefix("data: ") } })
        }
    }
}
