import Foundation
import Testing
@testable import SwitchyardGateway

/// How the gateway reads a chat request, and the 400 it gives for each kind of fault.
@Suite struct ChatRequestTests {
    static func parse(_ json: String) -> Result<ChatRequest, RequestError> {
        Result { () throws(RequestError) in try ChatRequest.parse(Data(json.utf8)) }
    }

    @Test func readsOpenAIsFields() throws {
        let request = try Self.parse("""
            {"model":"m","messages":[{"role":"system","content":"be brief"},
              {"role":"user","content":[{"type":"text","text":"one"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"two"}]}],
             "stream":true,"stream_options":{"include_usage":true},"max_tokens":9,"max_completion_tokens":4,"n":2,"stop":"zone",
             "temperature":0.7,"user":"ignored","yard_token_delay_ms":3}
            """).get()
        #expect(request.model == "m")
        #expect(request.prompt == "one\ntwo")
        #expect(request.promptTokens == 4)
        #expect(request.stream && request.includeUsage)
        #expect(request.maxTokens == 4, "max_completion_tokens wins")
        #expect(request.n == 2)
        #expect(request.stop == ["zone"])
        #expect(request.yardTokenDelayMilliseconds == 3)
        let minimal = try Self.parse(#"{"model":"m","messages":[{"role":"assistant","content":null}],"stop":["a","b"]}"#).get()
        #expect(!minimal.stream && minimal.n == 1 && minimal.maxTokens == nil && minimal.stop == ["a", "b"])
    }

    @Test(arguments: [
        ("not json", nil as String?, "could not parse the JSON body"),
        ("[1]", nil, "must be a JSON object, not an array"),
        (#"{"messages":[]}"#, "model", "You must provide a model parameter."),
        (#"{"model":3,"messages":[]}"#, "model", "'model' must be a non-empty string (got a number)."),
        (#"{"model":"m"}"#, "messages", "Missing required parameter: 'messages'."),
        (#"{"model":"m","messages":[]}"#, "messages", "'messages' must hold at least one message; it is empty."),
        (#"{"model":"m","messages":"hi"}"#, "messages", "must be an array of messages (got a string)"),
        (#"{"model":"m","messages":[{"content":"x"}]}"#, "messages[0].role", "'messages[0].role' is required"),
        (#"{"model":"m","messages":[{"role":"robot","content":"x"}]}"#, "messages[0].role", "is 'robot'; expected one of"),
        (#"{"model":"m","messages":[{"role":"user","content":42}]}"#, "messages[0].content", "must be a string or an array of content parts (got a number)"),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"video"}]}]}"#, "messages[0].content[0].type", "is 'video'"),
        (#"{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}"#, "messages[0].content[0].text", "must be a string"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"n":0}"#, "n", "'n' must be a whole number from 1 to 128 (got 0)."),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1.5}"#, "max_tokens", "(got 1.5)"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_completion_tokens":"9"}"#, "max_completion_tokens", "(got \"9\")"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stop":[1]}"#, "stop", "'stop[0]' must be a string"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a","b","c","d","e"]}"#, "stop", "at most 4"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, "stream", "'stream' must be true or false"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true}}"#, "stream_options", "only allowed when 'stream' is enabled"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":5}"#, "temperature", "from 0 to 2 (got 5)"),
    ])
    func namesTheFaultAndTheParameter(json: String, param: String?, message: String) {
        guard case .failure(let error) = Self.parse(json) else {
            Issue.record("accepted: \(json)")
            return
        }
        #expect(error.param == param)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func a400IsOpenAIShapedOverTheWire() async throws {
        try await InProcessGateway.with { gateway async throws in
            let answer = try await TestHTTP.post(gateway.chatURL, body: #"{"model":"m","messages":[{"role":"user","content":{"a":1}}]}"#)
            #expect(answer.status == 400)
            #expect(answer.body.contains(#""param":"messages[0].content""#))
            #expect(answer.body.contains(#""type":"invalid_request_error""#))
            #expect(!answer.body.contains("DecodingError") && !answer.body.contains("CodingKeys"))
        }
    }
}
