/// A Prometheus histogram as scraped: cumulative bucket counts by upper bound (`le`), the count and the sum.
public struct HistogramBuckets: Sendable, Hashable {
    public struct Bucket: Sendable, Hashable {
        public var upperBound: Double
        /// Observations ≤ upperBound (cumulative, as Prometheus exposes them).
        public var cumulativeCount: Double

        public init(upperBound: Double, cumulativeCount: Double) {
            self.upperBound = upperBound
            self.cumulativeCount = cumulativeCount
        }
    }

    /// Sorted by upper bound; the last is `+Inf` in a complete exposition.
    public var buckets: [Bucket]
    public var count: Double
    public var sum: Double

    public init(buckets: [Bucket], count: Double, sum: Double) {
        self.buckets = buckets.sorted { $0.upperBound < $1.upperBound }
        self.count = count
        self.sum = sum
    }

    /// What was observed since `previous`, bucket by bucket. A counter that went down means the process
    /// restarted: then everything now counted is new, and `self` is returned whole.
    public func delta(since previous: HistogramBuckets?) -> HistogramBuckets {
        guard let previous else { return self }
        if count < previous.count { return self }
        var old: [Double: Double] = [:]
        for bucket in previous.buckets { old[bucket.upperBound] = bucket.cumulativeCount }
        var out: [Bucket] = []
        for bucket in buckets {
            let before = old[bucket.upperBound] ?? 0
            if bucket.cumulativeCount < before { return self }
            out.append(Bucket(upperBound: bucket.upperBound, cumulativeCount: bucket.cumulativeCount - before))
        }
        return HistogramBuckets(buckets: out, count: count - previous.count, sum: sum - previous.sum)
    }

    /// Adds another histogram with the same bounds (another instance's), bucket by bucket.
    public func adding(_ other: HistogramBuckets) -> HistogramBuckets {
        var byBound: [Double: Double] = [:]
        for bucket in buckets + other.buckets { byBound[bucket.upperBound, default: 0] += bucket.cumulativeCount }
        return HistogramBuckets(
            buckets: byBound.map { Bucket(upperBound: $0.key, cumulativeCount: $0.value) }, count: count + other.count, sum: sum + other.sum
        )
    }

    /// The q-quantile (0…1) the way PromQL's `histogram_quantile` estimates it: linear interpolation
    /// within the bucket the rank falls in, the lowest bucket starting at 0, and the highest finite
    /// bound when the rank falls in the `+Inf` bucket. Nil when nothing was observed.
    public func quantile(_ q: Double) -> Double? {
        guard let total = buckets.last?.cumulativeCount, total > 0, q.isFinite else { return nil }
        let q = min(max(q, 0), 1)
        let rank = q * total
        var lowerBound = 0.0
        var lowerCount = 0.0
        for (index, bucket) in buckets.enumerated() {
            if bucket.cumulativeCount >= rank, bucket.cumulativeCount > lowerCount || index == buckets.count - 1 {
                if bucket.upperBound == .infinity {
                    return index == 0 ? nil : buckets[index - 1].upperBound
                }
                if index == 0, bucket.upperBound <= 0 { return bucket.upperBound }
                let inBucket = bucket.cumulativeCount - lowerCount
                guard inBucket > 0 else { return bucket.upperBound }
                return lowerBound + (bucket.upperBound - lowerBound) * (rank - lowerCount) / inBucket
            }
            lowerBound = bucket.upperBound
            lowerCount = bucket.cumulativeCount
        }
        return buckets.last { $0.upperBound.isFinite }?.upperBound
    }
}
