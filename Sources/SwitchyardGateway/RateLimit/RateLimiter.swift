import Synchronization

/// One token bucket per API key. The clock is injected (`now` in seconds), so tests drive time by hand.
public final class RateLimiter: Sendable {
    private let limit: RateLimit
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: TokenBucket]>([:])
    /// Buckets untouched this long are full again and are forgotten, which bounds memory.
    private let forgetAfter: Double

    public init(limit: RateLimit, now: @escaping @Sendable () -> Double) {
        self.limit = limit
        self.now = now
        self.forgetAfter = max(60, limit.burst / limit.rate * 2)
    }

    public func take(key: String) -> TokenBucket.Decision {
        let time = now()
        return buckets.withLock { buckets in
            if buckets.count > 10_000 {
                buckets = buckets.filter { time - $0.value.updatedAt < forgetAfter }
            }
            var bucket = buckets[key] ?? TokenBucket(rate: limit.rate, burst: limit.burst, now: time)
            let decision = bucket.take(now: time)
            buckets[key] = bucket
            return decision
        }
    }
}

extension RateLimiter {
    /// Seconds on the continuous clock since an arbitrary origin.
    public static func continuousNow() -> @Sendable () -> Double {
        let origin = ContinuousClock.now
        return {
            let elapsed = ContinuousClock.now - origin
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }
}
