import SwitchyardCore

/// Forwarding to an OpenAI-compatible upstream instead of the local model.
public struct UpstreamConfiguration: Sendable {
    /// Base URL such as `http://127.0.0.1:8081` (or `http://127.0.0.1:8081/v1`, the form OpenAI's SDKs
    /// take: the `/v1` is dropped); requests go to `<base>/v1/chat/completions`.
    public var baseURL: String
    /// The key sent upstream as `Authorization: Bearer KEY`; nil passes the client's own header on.
    public var apiKey: String?
    /// Connect timeout, and the longest silence allowed while reading (upstream pings keep a stream alive).
    public var timeout: TimeSpan = .seconds(30)
    public var retry = RetryPolicy()
    public var breaker = CircuitBreaker.Configuration()

    public init(baseURL: String) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }
}
