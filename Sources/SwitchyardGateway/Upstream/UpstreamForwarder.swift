import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import SwitchyardCore

/// Upstream mode: each chat request goes to the upstream's `/v1/chat/completions` and its answer
/// streams through. Retries happen only on connect errors, timeouts and 5xx answers, always before
/// a byte went to the client, with exponential backoff and jitter; a circuit breaker fails calls
/// fast with 503 while the upstream keeps failing.
final class UpstreamForwarder: Sendable {
    let client: HTTPClient
    let configuration: UpstreamConfiguration
    let metrics: GatewayMetrics
    let logger: Logger
    private let breaker: Mutex<CircuitBreaker>
    private let random: Mutex<SplitMix64>
    private let now: @Sendable () -> Double

    init(configuration: UpstreamConfiguration, metrics: GatewayMetrics, seed: UInt64, logger: Logger, now: @escaping @Sendable () -> Double) {
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(
            connect: .milliseconds(configuration.timeout.milliseconds),
            read: .milliseconds(configuration.timeout.milliseconds)
        )
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 10_000)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.breaker = Mutex(CircuitBreaker(configuration: configuration.breaker))
        self.random = Mutex(SplitMix64(seed: seed))
        self.now = now
    }

    var breakerState: CircuitBreaker.State { breaker.withLock { $0.state } }

    func forward(body: ByteBuffer, headers: HTTPFields) async -> Response {
        var request = HTTPClientRequest(url: configuration.baseURL + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for name in [HTTPField.Name.authorization, .yardTokenDelay, .lastEventID] {
            if let value = headers[name] { request.headers.add(name: name.canonicalName, value: value) }
        }
        request.body = .bytes(body)

        var attempt = 0
        while true {
            attempt += 1
            let permission = breaker.withLock { $0.acquire(now: now()) }
            publishBreakerState()
            if case .rejected(let retryAfter) = permission {
                return Responses.error(
                    .serviceUnavailable, message: "upstream circuit is open; failing fast",
                    type: "unavailable", code: "circuit_open", headers: [.retryAfter: "\(max(1, Int(retryAfter.rounded(.up))))"]
                )
            }
            let failure: RetryPolicy.Failure
            do {
                let response = try await client.execute(request, timeout: .hours(24), logger: logger)
                if (500...599).contains(Int(response.status.code)) {
                    failure = .status(Int(response.status.code))
                    _ = try? await response.body.collect(upTo: 1 << 20)
                } else {
                    record(success: true)
                    return streamThrough(response)
                }
            } catch {
                failure = Self.classify(error)
            }
            record(success: false)
            guard configuration.retry.shouldRetry(failure, afterAttempt: attempt) else {
                logger.warning("upstream failed", metadata: ["attempt": "\(attempt)", "failure": "\(failure)"])
                return Responses.error(
                    .badGateway, message: "upstream failed after \(attempt) attempt(s): \(failure)",
                    type: "upstream_error", code: "upstream_failed"
                )
            }
            let delay = random.withLock { configuration.retry.delay(afterAttempt: attempt, random: &$0) }
            metrics.upstreamRetried()
            try? await Task.sleep(for: delay.duration)
        }
    }

    private func record(success: Bool) {
        breaker.withLock { $0.record(success: success, now: now()) }
        publishBreakerState()
    }

    private func publishBreakerState() {
        metrics.breakerChanged(to: breakerState)
    }

    /// The upstream's answer, its body passed on buffer by buffer; once this begins no retry can happen.
    private func streamThrough(_ upstream: HTTPClientResponse) -> Response {
        var headers: HTTPFields = [:]
        if let type = upstream.headers.first(name: "Content-Type") { headers[.contentType] = type }
        let streaming = headers[.contentType]?.hasPrefix("text/event-stream") ?? false
        if streaming {
            headers[.cacheControl] = "no-cache"
            headers[.accelBuffering] = "no"
        }
        let status = HTTPResponse.Status(code: Int(upstream.status.code))
        let metrics = self.metrics
        return Response(status: status, headers: headers, body: ResponseBody { writer in
            if streaming { metrics.streamOpened() }
            var end = DrainState.StreamEnd.abandoned
            defer { if streaming { metrics.streamClosed(end) } }
            for try await buffer in upstream.body {
                try await writer.write(buffer)
            }
            end = .completed
            try await writer.finish(nil)
        })
    }

    static func classify(_ error: any Error) -> RetryPolicy.Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded: return .timeout
            default: break
            }
        }
        if error is NIOConnectionError { return .connect }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timeout }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED || error.errnoCode == ECONNRESET { return .connect }
        return .other
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}
