import Foundation
import Testing
import SwitchyardCore

@Suite struct OpenAITypesTests {
    @Test func decodesARequestWithTheExtensionFields() throws {
        let json = #"{"model":"gpt","messages":[{"role":"user","content":"hi"}],"stream":true,"temperature":0.2,"max_tokens":7,"yard_token_delay_ms":15}"#
        let request = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(json.utf8))
        #expect(request == ChatCompletionRequest(
            model: "gpt", messages: [ChatMessage(role: "user", content: "hi")], stream: true, temperature: 0.2,
            maxTokens: 7, yardTokenDelayMilliseconds: 15
        ))
    }

    @Test func decodesAMinimalRequest() throws {
        let request = try JSONDecoder().decode(ChatCompletionRequest.self, from: Data(#"{"model":"m","messages":[]}"#.utf8))
        #expect(request.stream == nil)
        #expect(request.maxTokens == nil)
    }

    @Test func encodesAChunkInOpenAIsShape() throws {
        let chunk = ChatCompletionChunk(
            id: "chatcmpl-1", created: 5, model: "m", systemFingerprint: "1.0/blue/gw-1",
            choices: [.init(delta: .init(content: "hi"))]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(chunk), as: UTF8.self)
        #expect(text == #"{"choices":[{"delta":{"content":"hi"},"finish_reason":null,"index":0}],"created":5,"id":"chatcmpl-1","model":"m","object":"chat.completion.chunk","system_fingerprint":"1.0\/blue\/gw-1"}"#)
        #expect(try JSONDecoder().decode(ChatCompletionChunk.self, from: Data(text.utf8)) == chunk)
    }

    @Test func completionRoundTrips() throws {
        let completion = ChatCompletion(
            id: "chatcmpl-2", created: 1, model: "m", systemFingerprint: nil,
            choices: [.init(message: ChatMessage(role: "assistant", content: "ok"), finishReason: "stop")],
            usage: .init(promptTokens: 2, completionTokens: 3)
        )
        let data = try JSONEncoder().encode(completion)
        let decoded = try JSONDecoder().decode(ChatCompletion.self, from: data)
        #expect(decoded == completion)
        #expect(decoded.object == "chat.completion")
        #expect(decoded.usage?.totalTokens == 5)
        #expect(String(decoding: data, as: UTF8.self).contains("\"finish_reason\":\"stop\""))
    }

    @Test func errorBodyHasAllFourFields() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(OpenAIErrorResponse(message: "bad key", type: "invalid_request_error", code: "invalid_api_key")), as: UTF8.self)
        #expect(text == #"{"error":{"code":"invalid_api_key","message":"bad key","param":null,"type":"invalid_request_error"}}"#)
        let decoded = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(text.utf8))
        #expect(decoded.error.param == nil)
    }
}
