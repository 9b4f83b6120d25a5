import SwitchyardCore

/// What a load run sends, and to where.
public struct LoadConfiguration: Sendable, Hashable {
    /// Base URL of the target, such as a load balancer's listener: `http://127.0.0.1:7800`.
    public var baseURL: String
    public var path = "/v1/chat/completions"
    public var model = "yard-load"

    /// Non-stream requests per second, sent on schedule whether or not earlier ones finished (0: none).
    public var requestsPerSecond: Double = 10
    /// Most non-stream requests in flight; a request due while this many are pending is dropped and counted.
    public var maxConcurrentRequests = 256
    /// `max_tokens` of a non-stream request (small: a request answers in about tokens × token delay).
    public var requestTokens = 1
    /// Delay between tokens of a non-stream request, sent as `X-Yard-Token-Delay` (nil: the target's default).
    public var requestTokenDelay: TimeSpan? = .ms(0)
    /// Longest wait for a non-stream answer before it counts as failed.
    public var requestTimeout: TimeSpan = .seconds(10)

    /// Concurrent SSE streams, each re-opened when it ends (0: none).
    public var streams = 0
    /// `max_tokens` of a stream.
    public var streamTokens = 40
    /// Delay between a stream's tokens, sent as `X-Yard-Token-Delay` (nil: the target's default).
    public var streamTokenDelay: TimeSpan? = .ms(250)
    /// A stream quiet this long (no event, no ping) counts as cut.
    public var streamIdleTimeout: TimeSpan = .seconds(30)
    /// Pause before re-opening a stream that could not be opened (so a dead target is not hammered).
    public var reopenBackoff: TimeSpan = .ms(100)

    /// Extra request headers (such as `Authorization`).
    public var headers: [String: String] = [:]

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// Non-stream requests and SSE streams to `target`: what release and drill tests run beside a switch.
    public init(target: String, requestsPerSecond: Double, streams: Int, streamTokens: Int, streamTokenDelay: TimeSpan? = .ms(100)) {
        self.init(target: target)
        self.requestsPerSecond = requestsPerSecond
        self.streams = streams
        self.streamTokens = streamTokens
        self.streamTokenDelay = streamTokenDelay
    }

    /// `host:port` becomes `http://host:port`; a URL is kept.
    public init(target: String) {
        self.init(baseURL: target.contains("://") ? target : "http://\(target)")
    }

    public var url: String { baseURL + path }
}
