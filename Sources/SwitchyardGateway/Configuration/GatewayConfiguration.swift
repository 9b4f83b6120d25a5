import SwitchyardCore

/// Everything a gateway instance needs to run; the executable fills it from flags.
public struct GatewayConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks an ephemeral port; the bound one is reported through `onListening`.
    public var port: Int = 0
    public var identity = GatewayIdentity()
    /// Tokens in an answer of the local model, unless a request asks for `max_tokens`.
    public var tokens: Int = 16
    /// Delay between two tokens, unless a request asks otherwise.
    public var tokenDelay: TimeSpan = .ms(20)
    /// A `: ping` comment goes out when a stream has been quiet this long.
    public var pingInterval: TimeSpan = .seconds(15)
    /// How long open streams may run after SIGTERM before they are cut.
    public var drainTimeout: TimeSpan = .seconds(30)
    /// Accepted bearer tokens; nil turns auth off.
    public var apiKeys: Set<String>?
    /// Requests per second per API key (bucket size = burst); nil turns rate limiting off.
    public var rateLimit: RateLimit?
    /// How long a finished or abandoned stream can be resumed with `Last-Event-ID`.
    public var resumeRetention: TimeSpan = .minutes(5)
    /// At most this many streams are kept for resumption (least recently written dropped first).
    public var resumeMaxStreams: Int = 10_000
    /// At most this many bytes of frames are kept for resumption, over all streams.
    public var resumeMaxBytes: Int = 64 << 20
    /// At most this many rate-limit buckets (keys) are kept; the least recently used goes first.
    public var rateLimitMaxKeys: Int = 100_000
    /// The model ids `/v1/models` lists. The local model answers any model name in a request.
    public var models: [String] = ["yard-local"]
    public var upstream: UpstreamConfiguration?
    public var faults = FaultConfiguration()
    /// At most this many non-stream completions of the local model at once; the rest wait in order (nil: no limit).
    public var maxConcurrent: Int?
    /// Listen backlog; raise it for thousands of connections at once.
    public var backlog: Int = 4096

    public init() {}
}

/// A token bucket's shape: `rate` tokens per second, at most `burst` at once.
public struct RateLimit: Sendable, Hashable {
    public var rate: Double
    public var burst: Double

    public init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        self.burst = burst ?? max(1, rate)
    }

    /// Reads `10/s`, `600/m`, or `10/s:20` (burst 20).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        let rateText = parts[0].split(separator: "/", maxSplits: 1)
        guard rateText.count == 2, let count = Double(rateText[0]), count > 0 else { return nil }
        let per: Double
        switch rateText[1] {
        case "s": per = 1
        case "m": per = 60
        case "h": per = 3600
        default: return nil
        }
        var burst: Double?
        if parts.count == 2 {
            guard let value = Double(parts[1]), value >= 1 else { return nil }
            burst = value
        }
        self.init(rate: count / per, burst: burst)
    }
}
