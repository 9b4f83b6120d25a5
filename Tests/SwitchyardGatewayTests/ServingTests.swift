import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

/// The chat endpoint, spoken to over a real loopback connection.
@Suite struct ServingTests {
    @Test func streamSendsOpenAIChunksWithIdsAndEndsWithDone() async throws {
        try await InProcessGateway.with { gateway async throws in
            let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 4, prompt: "resume me"))
            #expect(stream.status == 200)
            #expect(stream.headers.first(name: "Content-Type") == "text/event-stream")
            #expect(stream.headers.first(name: "X-Yard-Version") == "9.9.9")
            #expect(stream.headers.first(name: "X-Yard-Slot") == "green")
            #expect(stream.headers.first(name: "X-Yard-Zone") == "z1")
            #expect(stream.headers.first(name: "X-Yard-Instance") == "gw-test")
            #expect(stream.endedCleanly)
            #expect(stream.sawDone)
            // role chunk, 4 tokens, finish chunk, [DONE]
            #expect(stream.events.count == 7)
            let ids = try stream.events.map { try #require(EventID(parsing: $0.id ?? "")) }
            #expect(Set(ids.map(\.streamID)).count == 1)
            #expect(ids.map(\.sequence) == Array(0...6))
            let chunks = try stream.chunks()
            #expect(chunks.allSatisfy { $0.object == "chat.completion.chunk" && $0.systemFingerprint == "9.9.9/green/gw-test" })
            #expect(chunks.first?.choices.first?.delta.role == "assistant")
            #expect(chunks.last?.choices.first?.finishReason == "stop")
            #expect(try stream.text() == LocalModel.answer(seed: LocalModel.seed(for: "resume me"), tokens: 4))
        }
    }

    @Test func withoutStreamTheAnswerIsOneCompletion() async throws {
        try await InProcessGateway.with { gateway async throws in
            let answer = try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 3, prompt: "p"))
            #expect(answer.status == 200)
            #expect(answer.header("X-Yard-Instance") == "gw-test")
            let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(answer.body.utf8))
            #expect(completion.object == "chat.completion")
            #expect(completion.choices.first?.message.content == LocalModel.answer(seed: LocalModel.seed(for: "p"), tokens: 3))
            #expect(completion.choices.first?.finishReason == "stop")
            #expect(completion.usage?.completionTokens == 3)
        }
    }

    @Test func quietStreamsGetPingComments() async throws {
        try await InProcessGateway.with({ $0.pingInterval = .ms(20) }) { gateway async throws in
            let stream = try await TestHTTP.stream(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2), headers: [("X-Yard-Token-Delay", "150ms")]
            )
            #expect(stream.sawDone)
            #expect(stream.comments.filter { $0 == "ping" }.count >= 4)
        }
    }

    @Test func tokenDelayCanBeSetPerRequest() async throws {
        try await InProcessGateway.with { gateway async throws in
            let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 3, delayMs: 80))
            #expect(stream.sawDone)
            #expect((stream.arrivals.last ?? 0) >= 0.24)
            let bad = try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: true), headers: [("X-Yard-Token-Delay", "soon")])
            #expect(bad.status == 400)
        }
    }

    @Test func operatingEndpointsAnswer() async throws {
        try await InProcessGateway.with { gateway async throws in
            #expect(try await TestHTTP.get(gateway.baseURL + "/healthz").status == 200)
            #expect(try await TestHTTP.get(gateway.baseURL + "/readyz").status == 200)
            let version = try await TestHTTP.get(gateway.baseURL + "/version")
            let identity = try JSONDecoder().decode(GatewayIdentity.self, from: Data(version.body.utf8))
            #expect(identity == GatewayIdentity(service: "gateway", version: "9.9.9", zone: "z1", slot: "green", instance: "gw-test"))
            let missing = try await TestHTTP.get(gateway.baseURL + "/nope")
            #expect(missing.status == 404)
            #expect(missing.header("X-Yard-Instance") == "gw-test")
        }
    }

    @Test func malformedBodyIsA400WithAnOpenAIError() async throws {
        try await InProcessGateway.with { gateway async throws in
            let answer = try await TestHTTP.post(gateway.chatURL, body: "{\"model\": 3}")
            #expect(answer.status == 400)
            let error = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(answer.body.utf8))
            #expect(error.error.type == "invalid_request_error")
        }
    }
}
