import SwitchyardCore

/// Forwarding to an OpenAI-compatible upstream instead of the local model.
public struct UpstreamConfiguration: Sendable {
    /// Base URL such as `http://127.0.0.1:8081`; requests go to `<base>/v1/chat/completions`.
    public var baseURL: String
    /// Connect timeout, and the longest silence allowed while reading (upstream pings keep a stream alive).
    public var timeout: TimeSpan = .seconds(30)
    public var retry = RetryPolicy()
    public var breaker = CircuitBreaker.Configuration()

    public init(baseURL: String) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }
}
