import Synchronization

/// One token bucket per key (the API key, or the client's address with auth off). The clock is
/// injected (`now` in seconds), so tests drive time by hand.
///
/// The key map is bounded: at most `maxKeys` buckets, the least recently used one dropped first
/// (a dropped key starts again with a full bucket, as a bucket untouched for `forgetAfter` would be
/// anyway), and buckets untouched for `forgetAfter` are freed as new keys arrive.
public final class RateLimiter: Sendable {
    private let limit: RateLimit
    private let now: @Sendable () -> Double
    private let buckets = Mutex(LRUMap<String, TokenBucket>())
    /// Buckets untouched this long are full again, so forgetting them changes no decision.
    private let forgetAfter: Double
    public let maxKeys: Int

    public init(limit: RateLimit, maxKeys: Int = 100_000, now: @escaping @Sendable () -> Double) {
        self.limit = limit
        self.now = now
        self.maxKeys = max(1, maxKeys)
        self.forgetAfter = max(60, limit.burst / limit.rate * 2)
    }

    public func take(key: String) -> TokenBucket.Decision {
        let time = now()
        return buckets.withLock { buckets in
            if let decision = buckets.update(key, { $0.take(now: time) }) {
                return decision
            }
            while let oldest = buckets.oldest, time - oldest.value.updatedAt >= forgetAfter { buckets.removeOldest() }
            while buckets.count >= maxKeys { buckets.removeOldest() }
            var bucket = TokenBucket(rate: limit.rate, burst: limit.burst, now: time)
            let decision = bucket.take(now: time)
            buckets.set(key, bucket)
            return decision
        }
    }

    /// Buckets held now.
    public var keyCount: Int { buckets.withLock { $0.count } }
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
