import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

/// Two real gateways: the front one forwards to the back one.
@Suite struct UpstreamTests {
    static func upstream(
        _ url: String, attempts: Int = 3, breaker: CircuitBreaker.Configuration = .init(minimumCalls: 1000), timeout: TimeSpan = .seconds(2)
    ) -> UpstreamConfiguration {
        var configuration = UpstreamConfiguration(baseURL: url)
        configuration.timeout = timeout
        configuration.retry = RetryPolicy(maxAttempts: attempts, baseDelay: .ms(5), maxDelay: .ms(20))
        configuration.breaker = breaker
        return configuration
    }

    static func chatRequests(_ gateway: InProcessGateway, status: Int) async throws -> Double {
        let text = try await TestHTTP.get(gateway.baseURL + "/metrics").body
        return MetricsTests.sample(text, #"yard_http_requests_total{route="/v1/chat/completions",status="\#(status)"}"#) ?? 0
    }

    @Test func streamsThroughFromTheUpstream() async throws {
        try await InProcessGateway.with({ $0.identity.instance = "back" }) { back async throws in
            try await InProcessGateway.with({ $0.identity.instance = "front"; $0.upstream = Self.upstream(back.baseURL) }) { front async throws in
                let stream = try await TestHTTP.stream(front.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 4, prompt: "up"))
                #expect(stream.sawDone)
                #expect(stream.headers.first(name: "X-Yard-Instance") == "front")
                #expect(try stream.chunks().first?.systemFingerprint == "9.9.9/green/back")
                #expect(try stream.text() == LocalModel.answer(seed: LocalModel.seed(for: "up"), tokens: 4))
                let whole = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 2))
                #expect(whole.status == 200)
                #expect(whole.body.contains("chat.completion"))
            }
        }
    }

    @Test func retries5xxUpToTheBoundThenAnswers502() async throws {
        try await InProcessGateway.with({ $0.faults.errorRate = 1 }) { back async throws in
            try await InProcessGateway.with({ $0.upstream = Self.upstream(back.baseURL, attempts: 3) }) { front async throws in
                let answer = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: true))
                #expect(answer.status == 502)
                #expect(try await Self.chatRequests(back, status: 500) == 3)
                #expect(front.server.metrics.exposition().contains("yard_upstream_retries_total 2"))
            }
        }
    }

    @Test func neverRetriesA4xx() async throws {
        try await InProcessGateway.with({ $0.apiKeys = ["sk-back"] }) { back async throws in
            try await InProcessGateway.with({ $0.upstream = Self.upstream(back.baseURL, attempts: 3) }) { front async throws in
                let answer = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false))
                #expect(answer.status == 401)
                #expect(try await Self.chatRequests(back, status: 401) == 1)
                let passed = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false), headers: [("Authorization", "Bearer sk-back")])
                #expect(passed.status == 200)
            }
        }
    }

    @Test func neverRetriesOnceTheStreamStarted() async throws {
        // The upstream cuts its stream mid-way (drain timeout); the front must not start it again.
        try await InProcessGateway.with({ $0.faults.stallAfterEvents = 2; $0.drainTimeout = .ms(200) }) { back async throws in
            try await InProcessGateway.with({ $0.upstream = Self.upstream(back.baseURL, attempts: 3) }) { front async throws in
                async let stream = TestHTTP.stream(front.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 5), timeout: .seconds(5))
                try await waitForOpenStreams(back.baseURL, 1)
                try await Task.sleep(for: .milliseconds(150))
                back.server.drain.beginDrain()
                back.server.drain.beginCutting()
                let result = try await stream
                // The two events, then the front's final error event for the cut.
                #expect(result.events.count == 3)
                #expect(result.events.last?.event == "error")
                #expect(!result.sawDone)
                #expect(try await Self.chatRequests(back, status: 200) == 1)
                #expect(front.server.metrics.exposition().contains("yard_upstream_retries_total 0"))
            }
        }
    }

    @Test func retriesConnectErrors() async throws {
        let deadPort = try await InProcessGateway.with { $0.port }  // free again once that gateway stopped
        try await InProcessGateway.with({ $0.upstream = Self.upstream("http://127.0.0.1:\(deadPort)", attempts: 2, timeout: .ms(300)) }) { front async throws in
            let answer = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false))
            #expect(answer.status == 502)
            #expect(answer.body.contains("connect") || answer.body.contains("timeout"))
            #expect(front.server.metrics.exposition().contains("yard_upstream_retries_total 1"))
        }
    }

    @Test func breakerOpensFailsFastThenHalfOpensAndCloses() async throws {
        let breaker = CircuitBreaker.Configuration(failureRate: 0.5, window: .seconds(30), minimumCalls: 3, coolDown: .ms(400))
        let port = try await InProcessGateway.with { $0.port }
        try await InProcessGateway.with({ $0.upstream = Self.upstream("http://127.0.0.1:\(port)", attempts: 1, breaker: breaker, timeout: .ms(300)) }) { front async throws in
            for _ in 0..<3 {
                #expect(try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false)).status == 502)
            }
            let fast = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false))
            #expect(fast.status == 503)
            #expect(fast.body.contains("circuit_open"))
            #expect(fast.header("Retry-After") != nil)
            #expect(MetricsTests.sample(front.server.metrics.exposition(), "yard_breaker_state") == 2)

            // The upstream comes back on the same port; after the cool-down one probe gets through and closes the breaker.
            try await InProcessGateway.with({ $0.port = port }) { _ async throws in
                try await Task.sleep(for: .milliseconds(450))
                let probe = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 1))
                #expect(probe.status == 200)
                #expect(MetricsTests.sample(front.server.metrics.exposition(), "yard_breaker_state") == 0)
                #expect(try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 1)).status == 200)
            }
        }
    }
}
