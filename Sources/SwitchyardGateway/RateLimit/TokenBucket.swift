/// A token bucket: `rate` tokens per second flow in, up to `burst`; a request takes one.
/// Pure: the caller passes the time (seconds on any monotonic clock), so tests need no sleeping.
public struct TokenBucket: Sendable, Hashable {
    public enum Decision: Sendable, Hashable {
        case allowed
        /// Denied; a token will be there after this many seconds.
        case limited(retryAfter: Double)
    }

    public let rate: Double
    public let burst: Double
    public private(set) var tokens: Double
    public private(set) var updatedAt: Double

    public init(rate: Double, burst: Double, now: Double) {
        precondition(rate > 0 && burst >= 1, "a bucket needs rate > 0 and burst ≥ 1")
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updatedAt = now
    }

    public mutating func take(now: Double) -> Decision {
        if now > updatedAt {
            tokens = min(burst, tokens + (now - updatedAt) * rate)
            updatedAt = now
        }
        if tokens >= 1 {
            tokens -= 1
            return .allowed
        }
        return .limited(retryAfter: (1 - tokens) / rate)
    }
}
