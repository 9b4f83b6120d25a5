import Foundation
import Testing
@testable import SwitchyardGateway

@Suite struct MetricsTests {
    /// The value of one sample line, such as `yard_streams_completed_total 3`.
    static func sample(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    @Test func countersAndHistogramsMatchTheRequestsMade() async throws {
        try await InProcessGateway.with { gateway async throws in
            for _ in 0..<3 {
                let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2))
                #expect(stream.sawDone)
            }
            for _ in 0..<2 {
                #expect(try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 2)).status == 200)
            }
            #expect(try await TestHTTP.get(gateway.baseURL + "/nope").status == 404)
            #expect(try await TestHTTP.post(gateway.chatURL, body: "not json").status == 400)

            let scrape = try await TestHTTP.get(gateway.baseURL + "/metrics")
            #expect(scrape.status == 200)
            let text = scrape.body
            #expect(Self.sample(text, #"yard_http_requests_total{route="/v1/chat/completions",status="200"}"#) == 5)
            #expect(Self.sample(text, #"yard_http_requests_total{route="/v1/chat/completions",status="400"}"#) == 1)
            #expect(Self.sample(text, #"yard_http_requests_total{route="other",status="404"}"#) == 1)
            #expect(Self.sample(text, #"yard_http_request_duration_seconds_count{route="/v1/chat/completions"}"#) == 6)
            #expect(Self.sample(text, "yard_time_to_first_token_seconds_count") == 5)
            #expect(Self.sample(text, "yard_streams_completed_total") == 3)
            #expect(Self.sample(text, "yard_streams_cut_total") == 0)
            #expect(Self.sample(text, "yard_streams_resumed_total") == 0)
            #expect(Self.sample(text, "yard_open_streams") == 0)
            #expect(Self.sample(text, "yard_breaker_state") == 0)
        }
    }

    @Test func openStreamsGaugeCountsStreamsInFlight() async throws {
        try await InProcessGateway.with { gateway async throws in
            async let running = TestHTTP.stream(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 3), headers: [("X-Yard-Token-Delay", "100ms")]
            )
            try await waitForOpenStreams(gateway.baseURL, 1)
            let during = try await TestHTTP.get(gateway.baseURL + "/metrics").body
            #expect(Self.sample(during, "yard_open_streams") == 1)
            #expect(try await running.sawDone)
            let after = try await TestHTTP.get(gateway.baseURL + "/metrics").body
            #expect(Self.sample(after, "yard_open_streams") == 0)
        }
    }

    @Test func twoGatewaysInOneProcessCountOnlyTheirOwnTraffic() async throws {
        try await InProcessGateway.with { first async throws in
            try await InProcessGateway.with { second async throws in
                #expect(try await TestHTTP.post(first.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 1)).status == 200)
                let text = try await TestHTTP.get(second.baseURL + "/metrics").body
                #expect(Self.sample(text, #"yard_http_requests_total{route="/v1/chat/completions",status="200"}"#) == nil)
            }
        }
    }
}
