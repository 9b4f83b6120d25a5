import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

@Suite struct AuthAndRateLimitTests {
    @Test func missingOrWrongKeyGets401WithOpenAIErrorBody() async throws {
        try await InProcessGateway.with({ $0.apiKeys = ["sk-good"] }) { gateway async throws in
            let body = TestHTTP.chatBody(stream: false, maxTokens: 1)
            let missing = try await TestHTTP.post(gateway.chatURL, body: body)
            #expect(missing.status == 401)
            let missingError = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(missing.body.utf8))
            #expect(missingError.error.code == "missing_api_key")
            #expect(missing.body.contains("\"param\":null"))

            let wrong = try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-bad")])
            #expect(wrong.status == 401)
            let wrongError = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(wrong.body.utf8))
            #expect(wrongError.error.code == "invalid_api_key")
            #expect(wrongError.error.type == "invalid_request_error")

            let good = try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-good")])
            #expect(good.status == 200)
        }
    }

    @Test func apiKeysFileReadsOneKeyPerLine() throws {
        #expect(APIKeys.parse("sk-1\n\n# comment\n  sk-2  \r\nsk-3") == ["sk-1", "sk-2", "sk-3"])
        #expect(throws: APIKeys.LoadError.self) { try APIKeys.load(path: "/nonexistent/keys") }
    }

    @Test func overTheLimitGets429WithRetryAfter() async throws {
        try await InProcessGateway.with({ $0.rateLimit = RateLimit(rate: 1.0 / 60, burst: 2) }) { gateway async throws in
            let body = TestHTTP.chatBody(stream: false, maxTokens: 1)
            let key = [("Authorization", "Bearer sk-a")]
            #expect(try await TestHTTP.post(gateway.chatURL, body: body, headers: key).status == 200)
            #expect(try await TestHTTP.post(gateway.chatURL, body: body, headers: key).status == 200)
            let limited = try await TestHTTP.post(gateway.chatURL, body: body, headers: key)
            #expect(limited.status == 429)
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
            let error = try JSONDecoder().decode(OpenAIErrorResponse.self, from: Data(limited.body.utf8))
            #expect(error.error.type == "rate_limit_error")
            // Auth is off, so a bearer is no identity: the client's address is the key, and another bearer shares it.
            #expect(try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-b")]).status == 429)
            #expect(try await TestHTTP.post(gateway.chatURL, body: body).status == 429)
        }
    }

    @Test func withAuthOnEachKeyHasItsOwnBucket() async throws {
        try await InProcessGateway.with({ $0.apiKeys = ["sk-a", "sk-b"]; $0.rateLimit = RateLimit(rate: 1.0 / 60, burst: 1) }) { gateway async throws in
            let body = TestHTTP.chatBody(stream: false, maxTokens: 1)
            #expect(try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-a")]).status == 200)
            let limited = try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-a")])
            #expect(limited.status == 429)
            #expect(limited.body.contains("this API key"))
            #expect(try await TestHTTP.post(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-b")]).status == 200)
        }
    }

    @Test func theLimiterForgetsTheLeastRecentlyUsedKeyPastItsBound() {
        let clock = Mutex(0.0)
        let limiter = RateLimiter(limit: RateLimit(rate: 1.0 / 3600, burst: 1), maxKeys: 3) { clock.withLock { $0 } }
        for key in ["a", "b", "c"] { #expect(limiter.take(key: key) == .allowed) }
        #expect(limiter.take(key: "a") != .allowed)  // a is the most recently used now; b the least
        #expect(limiter.take(key: "d") == .allowed)
        #expect(limiter.keyCount == 3)
        #expect(limiter.take(key: "a") != .allowed)  // a stayed, still empty
        #expect(limiter.take(key: "c") != .allowed)  // c stayed
        #expect(limiter.take(key: "b") == .allowed)  // b was forgotten: a fresh bucket
        // A million rotating keys still hold three buckets.
        for index in 0..<10_000 { _ = limiter.take(key: "rotating-\(index)") }
        #expect(limiter.keyCount == 3)
    }

    @Test func tokenBucketRefillsWithTheInjectedClock() {
        var bucket = TokenBucket(rate: 2, burst: 3, now: 0)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: 0) == .allowed)
        #expect(bucket.take(now: 0) == .limited(retryAfter: 0.5))
        #expect(bucket.take(now: 0.25) == .limited(retryAfter: 0.25))
        #expect(bucket.take(now: 0.5) == .allowed)
        // Never more than the burst, however long it rested.
        #expect(bucket.take(now: 100) == .allowed)
        #expect(bucket.tokens == 2)
    }

    @Test func rateLimiterKeepsOneBucketPerKey() {
        let clock = Mutex(0.0)
        let limiter = RateLimiter(limit: RateLimit(rate: 1, burst: 1)) { clock.withLock { $0 } }
        #expect(limiter.take(key: "a") == .allowed)
        #expect(limiter.take(key: "a") == .limited(retryAfter: 1))
        #expect(limiter.take(key: "b") == .allowed)
        clock.withLock { $0 = 1 }
        #expect(limiter.take(key: "a") == .allowed)
    }

    @Test(arguments: [("10/s", 10.0, 10.0), ("600/m", 10.0, 10.0), ("10/s:20", 10.0, 20.0), ("1/m", 1.0 / 60, 1.0)])
    func rateLimitReadsItsFlag(text: String, rate: Double, burst: Double) throws {
        let limit = try #require(RateLimit(parsing: text))
        #expect(abs(limit.rate - rate) < 1e-9)
        #expect(limit.burst == burst)
    }

    @Test func rateLimitRejectsNonsense() {
        #expect(RateLimit(parsing: "fast") == nil)
        #expect(RateLimit(parsing: "10/d") == nil)
        #expect(RateLimit(parsing: "0/s") == nil)
    }
}

import Synchronization
