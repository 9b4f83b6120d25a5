import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardGateway

/// Proxy mode against a flaky upstream (`FakeUpstream`): refused, reset, FIN before the status,
/// slow headers, 5xx, 4xx, a stream cut mid-way. Attempts and times are asserted with bounds far
/// from the configured timeouts, so they hold on a busy machine.
@Suite struct UpstreamFaultTests {
    static func chunk(_ text: String) -> String {
        #"data: {"id":"c1","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"#
            + "\n\n"
    }

    static let okStream: FakeUpstream.Behavior = .sse([chunk("a "), chunk("b "), "data: [DONE]\n\n"])

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let value = try await body()
        return (value, seconds(ContinuousClock.now - start))
    }

    @Test func aRefusedConnectionFailsEachAttemptAtOnce() async throws {
        // A 10 s timeout that must not be waited for: the refusal is the answer.
        let dead = closedPort()
        let upstream = UpstreamTests.upstream("http://127.0.0.1:\(dead.port)", attempts: 3, timeout: .seconds(10))
        try await InProcessGateway.with({ $0.upstream = upstream }) { front async throws in
            let (answer, elapsed) = try await Self.timed { try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false)) }
            #expect(answer.status == 502)
            #expect(answer.body.contains("connect error"))
            // 3 attempts within 100 ms each plus at most 2 × 20 ms backoff; 1 s leaves room for a busy machine.
            #expect(elapsed < 1.0, "took \(elapsed) s")
            let metrics = front.server.metrics.exposition()
            #expect(MetricsTests.sample(metrics, #"yard_upstream_failures_total{reason="connect"}"#) == 3)
            #expect(metrics.contains("yard_upstream_retries_total 2"))
        }
    }

    @Test func aCloseOrResetBeforeTheStatusIsRetried() async throws {
        try await FakeUpstream.with([.fin, .reset, Self.okStream]) { fake async throws in
            try await InProcessGateway.with({ $0.upstream = UpstreamTests.upstream(fake.baseURL, attempts: 3) }) { front async throws in
                let (stream, elapsed) = try await Self.timed {
                    try await TestHTTP.stream(front.chatURL, body: TestHTTP.chatBody(stream: true))
                }
                #expect(stream.status == 200)
                #expect(try stream.text() == "a b ")
                #expect(stream.sawDone)
                #expect(fake.seen.count == 3)
                #expect(elapsed < 1.5, "took \(elapsed) s")
                let metrics = front.server.metrics.exposition()
                #expect(MetricsTests.sample(metrics, #"yard_upstream_failures_total{reason="closed"}"#) == 2)
            }
        }
    }

    @Test func slowHeadersTimeOutAndAreRetried() async throws {
        try await FakeUpstream.with([.silent, .status(200, body: #"{"object":"chat.completion"}"#)]) { fake async throws in
            let upstream = UpstreamTests.upstream(fake.baseURL, attempts: 2, timeout: .ms(300))
            try await InProcessGateway.with({ $0.upstream = upstream }) { front async throws in
                let answer = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false))
                #expect(answer.status == 200)
                let seen = fake.seen
                try #require(seen.count == 2)
                let gap = Self.seconds(seen[1].at - seen[0].at)
                // The read timeout (300 ms) ends the first attempt, then at most 20 ms of backoff.
                #expect(gap >= 0.29 && gap < 2.0, "gap \(gap) s")
                #expect(MetricsTests.sample(front.server.metrics.exposition(), #"yard_upstream_failures_total{reason="timeout"}"#) == 1)
            }
        }
    }

    @Test func a5xxIsRetriedAndA4xxPassesThroughWithItsHeaders() async throws {
        let limited: FakeUpstream.Behavior = .status(
            429, headers: [("Retry-After", "7"), ("x-request-id", "req-123"), ("openai-processing-ms", "12"), ("x-ratelimit-remaining-requests", "0")],
            body: #"{"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#
        )
        try await FakeUpstream.with([.status(503), limited]) { fake async throws in
            try await InProcessGateway.with({ $0.upstream = UpstreamTests.upstream(fake.baseURL, attempts: 3) }) { front async throws in
                let answer = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: false))
                #expect(answer.status == 429)
                #expect(answer.header("Retry-After") == "7")
                #expect(answer.header("x-request-id") == "req-123")
                #expect(answer.header("openai-processing-ms") == "12")
                #expect(answer.header("x-ratelimit-remaining-requests") == "0")
                #expect(answer.body.contains("slow down"))
                // One 503, then the 429, which is not retried.
                #expect(fake.seen.count == 2)
            }
        }
    }

    @Test func aStreamCutMidWayEndsWithAnErrorEventAndCountsAsAFailure() async throws {
        let cut: FakeUpstream.Behavior = .sse([Self.chunk("a "), Self.chunk("b "), "data: {\"partial"], end: .fin)
        let breaker = CircuitBreaker.Configuration(failureRate: 0.5, window: .seconds(30), minimumCalls: 1, coolDown: .seconds(30))
        let log = CapturedLog()
        try await FakeUpstream.with([cut]) { fake async throws in
            let upstream = UpstreamTests.upstream(fake.baseURL, attempts: 3, breaker: breaker)
            try await InProcessGateway.with({ $0.upstream = upstream }, log: log) { front async throws in
                let stream = try await TestHTTP.stream(front.chatURL, body: TestHTTP.chatBody(stream: true))
                #expect(stream.status == 200)
                let events = stream.events
                try #require(events.count == 3, "events: \(events)")
                #expect(events[0].data.contains("a ") && events[1].data.contains("b "))
                // The partial line never reached the client; the error event stands on its own.
                #expect(events[2].event == "error")
                let error = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(events[2].data.utf8))
                #expect(error.error.code == "upstream_stream_failed")
                #expect(error.error.type == "upstream_error")
                #expect(fake.seen.count == 1, "a stream that began is never retried")

                let metrics = front.server.metrics.exposition()
                #expect(MetricsTests.sample(metrics, #"yard_upstream_failures_total{reason="midstream"}"#) == 1)
                #expect(metrics.contains("yard_streams_cut_total 1"))
                #expect((MetricsTests.sample(metrics, "yard_streams_abandoned_total") ?? 0) == 0)
                // The breaker heard a failure: with one call needed, it is open now.
                #expect(MetricsTests.sample(metrics, "yard_breaker_state") == 2)
                let next = try await TestHTTP.post(front.chatURL, body: TestHTTP.chatBody(stream: true))
                #expect(next.status == 503)
                #expect(next.body.contains("circuit_open"))
                // And it was logged, with what went wrong and how much had been passed on.
                let logged = try #require(log.all.first { $0.message == "upstream failed mid-stream" })
                #expect(logged.level == .warning)
                #expect(logged.metadata["failure"]?.contains("closed") == true)
                #expect(Int(logged.metadata["bytes_forwarded"] ?? "") ?? 0 > 0)
            }
        }
    }

    @Test func theBaseURLMayEndInV1AndTheUpstreamKeyReplacesTheClients() async throws {
        try await FakeUpstream.with([Self.okStream]) { fake async throws in
            var upstream = UpstreamTests.upstream(fake.baseURL + "/v1/")
            upstream.apiKey = "sk-upstream"
            try await InProcessGateway.with({ $0.upstream = upstream }) { front async throws in
                let stream = try await TestHTTP.stream(
                    front.chatURL, body: TestHTTP.chatBody(stream: true), headers: [("Authorization", "Bearer sk-client")]
                )
                #expect(stream.sawDone)
                let seen = try #require(fake.seen.first)
                #expect(seen.path == "/v1/chat/completions")
                #expect(seen.headers["authorization"] == "Bearer sk-upstream")
            }
        }
    }

    @Test func theUpstreamKeyFileGivesOneKey() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("yard-upstream-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# the provider's key\n\n  sk-up-1  \nsk-up-2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try APIKeys.loadOne(path: path) == "sk-up-1")
        try "# nothing\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: APIKeys.LoadError.self) { try APIKeys.loadOne(path: path) }
    }
}
