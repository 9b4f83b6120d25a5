import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import SwitchyardCore

/// Upstream mode: each request goes to the same path on the upstream and its answer streams
/// through. Retries happen only on connect errors, a close or reset before the status line,
/// timeouts and 5xx answers, always before a byte went to the client, with exponential backoff and
/// jitter; a circuit breaker fails calls fast with 503 while the upstream keeps failing.
///
/// A refused connection fails its attempt at once (the client does not keep re-dialling until the
/// connect timeout). The upstream's `Retry-After`, `x-request-id`, `openai-*` and `x-ratelimit-*`
/// headers reach the client. A stream the upstream breaks after the first byte ends with a final
/// SSE `error` event, counts as a failure for the breaker and in `yard_upstream_failures_total`,
/// and is logged.
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
        // A failed connect fails the waiting request now; the retry policy, not the pool, decides what comes next.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.breaker = Mutex(CircuitBreaker(configuration: configuration.breaker))
        self.random = Mutex(SplitMix64(seed: seed))
        self.now = now
    }

    var breakerState: CircuitBreaker.State { breaker.withLock { $0.state } }

    /// Request headers passed upstream besides `Authorization`.
    static let forwardedRequestHeaders: [HTTPField.Name] = [.yardTokenDelay, .lastEventID, .accept]

    /// Whether an upstream response header reaches the client.
    static func passesThrough(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "retry-after" || lower == "x-request-id" || lower.hasPrefix("openai-") || lower.hasPrefix("x-ratelimit-")
    }

    func forward(method: HTTPRequest.Method, path: String, body: ByteBuffer?, headers: HTTPFields) async -> Response {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method == .get ? .GET : .POST
        if body != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        if let key = configuration.apiKey {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        } else if let value = headers[.authorization] {
            request.headers.add(name: "Authorization", value: value)
        }
        for name in Self.forwardedRequestHeaders {
            if let value = headers[name] { request.headers.add(name: name.canonicalName, value: value) }
        }
        if let body { request.body = .bytes(body) }

        var attempt = 0
        let start = now()
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
            var passed: HTTPFields = [:]
            do {
                let response = try await client.execute(request, timeout: .hours(24), logger: logger)
                if (500...599).contains(Int(response.status.code)) {
                    failure = .status(Int(response.status.code))
                    passed = Self.passedHeaders(response.headers)
                    _ = try? await response.body.collect(upTo: 1 << 20)
                } else {
                    return streamThrough(response, probe: permission == .probe)
                }
            } catch {
                failure = Self.classify(error)
            }
            record(success: false)
            metrics.upstreamFailed(failure.metricLabel)
            guard configuration.retry.shouldRetry(failure, afterAttempt: attempt) else {
                let elapsed = Int(((now() - start) * 1000).rounded())
                logger.warning(
                    "upstream failed", metadata: ["attempts": "\(attempt)", "failure": "\(failure.describe)", "elapsed_ms": "\(elapsed)"]
                )
                return Responses.error(
                    .badGateway, message: "upstream failed after \(attempt) attempt(s) in \(elapsed) ms: \(failure.describe)",
                    type: "upstream_error", code: "upstream_failed", headers: passed
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

    static func passedHeaders(_ headers: HTTPHeaders) -> HTTPFields {
        var fields: HTTPFields = [:]
        for (name, value) in headers where passesThrough(name) {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }

    /// The upstream's answer, its body passed on as it comes; once this begins no retry can happen.
    ///
    /// The breaker hears how the call ended: a probe's success as soon as the status came (so the
    /// breaker closes without waiting for a long stream); any other call's when the body ended,
    /// a failure if the upstream broke it.
    private func streamThrough(_ upstream: HTTPClientResponse, probe: Bool) -> Response {
        var headers = Self.passedHeaders(upstream.headers)
        if let type = upstream.headers.first(name: "Content-Type") { headers[.contentType] = type }
        let streaming = headers[.contentType]?.hasPrefix("text/event-stream") ?? false
        if streaming {
            headers[.cacheControl] = "no-cache"
            headers[.accelBuffering] = "no"
        }
        if probe { record(success: true) }
        let status = HTTPResponse.Status(code: Int(upstream.status.code))
        let forwarder = self
        return Response(status: status, headers: headers, body: ResponseBody { writer in
            try await forwarder.relay(upstream, streaming: streaming, probe: probe, to: &writer)
        })
    }

    private func relay(_ upstream: HTTPClientResponse, streaming: Bool, probe: Bool, to writer: inout any ResponseBodyWriter) async throws {
        if streaming { metrics.streamOpened() }
        // How the call ended goes to the metrics and the breaker once, before the client sees the end.
        var settled = false
        func settle(_ end: DrainState.StreamEnd, upstreamFailed: Bool) {
            guard !settled else { return }
            settled = true
            if streaming { metrics.streamClosed(end) }
            if !probe { record(success: !upstreamFailed) } else if upstreamFailed { record(success: false) }
        }
        // The client went away (a write failed): nothing is known against the upstream.
        defer { settle(.abandoned, upstreamFailed: false) }
        var relay = SSERelay()
        var forwarded = 0
        var body = upstream.body.makeAsyncIterator()
        while true {
            let buffer: ByteBuffer?
            do {
                buffer = try await body.next()
            } catch {
                // The upstream broke the body (reset, close, read timeout); the client is still here.
                let failure = Self.classify(error)
                metrics.upstreamFailed("midstream")
                logger.warning(
                    "upstream failed mid-stream",
                    metadata: ["failure": "\(failure.describe)", "error": "\(error)", "bytes_forwarded": "\(forwarded)"]
                )
                settle(.cut, upstreamFailed: true)
                if streaming {
                    let event = SSEEncoder.encode(SSEEvent(event: "error", data: JSONCoding.string(OpenAIErrorResponse(
                        message: "The upstream failed mid-stream (\(failure.describe)); the answer is incomplete.",
                        type: "upstream_error", code: "upstream_stream_failed"
                    ))))
                    try await writer.write(ByteBuffer(bytes: relay.failure(frame: event)))
                }
                try await writer.finish(nil)
                return
            }
            guard let buffer else { break }
            forwarded += buffer.readableBytes
            if streaming {
                let out = relay.feed(buffer.readableBytesView)
                if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
            } else {
                try await writer.write(buffer)
            }
        }
        if streaming {
            let rest = relay.finish()
            if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: rest)) }
        }
        settle(.completed, upstreamFailed: false)
        try await writer.finish(nil)
    }

    static func classify(_ error: any Error) -> RetryPolicy.Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .deadlineExceeded: return .timeout
            case .remoteConnectionClosed: return .closed
            default: break
            }
        }
        if error is NIOConnectionError { return .connect }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .timeout
            case .eof, .ioOnClosedChannel, .outputClosed, .inputClosed, .alreadyClosed: return .closed
            default: break
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL: return .connect
            case ECONNRESET, EPIPE: return .closed
            default: break
            }
        }
        if error is NIOHTTP1.HTTPParserError { return .closed }
        return .other
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}

extension RetryPolicy.Failure {
    /// Words for logs and error messages.
    var describe: String {
        switch self {
        case .connect: "connect error (refused or unreachable)"
        case .closed: "the connection closed or was reset before an answer"
        case .timeout: "timeout"
        case .status(let code): "HTTP \(code)"
        case .other: "error"
        }
    }

    /// The `reason` label of `yard_upstream_failures_total`.
    var metricLabel: String {
        switch self {
        case .connect: "connect"
        case .closed: "closed"
        case .timeout: "timeout"
        case .status: "status"
        case .other: "other"
        }
    }
}
