/// The figures of one slot over a window of the load balancer's access log: its servers' attempts
/// (errors, time to first byte) and the requests it answered (latency). What users saw in all is kept
/// beside it, for the message.
public struct AccessLogWindow: Sendable, Hashable {
    /// Attempts on the slot's servers, and how many of them failed (5xx, or no answer where the user got a 5xx).
    public var attempts = 0
    public var failedAttempts = 0
    /// `$request_time` of the requests a server of the slot answered (the last attempt), seconds.
    public var latencies: [Double] = []
    /// `$upstream_header_time` of the slot's attempts that got a header, seconds.
    public var firstBytes: [Double] = []
    /// Requests of the listener in all, and those the user got a 5xx for.
    public var requests = 0
    public var userErrors = 0

    public init() {}

    /// The figures of the servers `slot` among `records` that came through the listener on `port` and
    /// whose path starts with `path`.
    public init(_ records: [AccessLogRecord], slot: Set<String>, port: Int, path: String? = nil) {
        for record in records where record.port == port && (path.map { record.path.hasPrefix($0) } ?? true) {
            requests += 1
            if record.status >= 500 { userErrors += 1 }
            for (index, attempt) in record.attempts.enumerated() where slot.contains(attempt.upstream) {
                attempts += 1
                let last = index == record.attempts.count - 1
                let failed = attempt.status.map { $0 >= 500 } ?? (!last || record.status >= 500)
                if failed { failedAttempts += 1 }
                if let header = attempt.headerTime { firstBytes.append(header) }
                if last, !failed { latencies.append(record.requestTime) }
            }
        }
    }

    /// The figure a gate judges; nil when nothing stands behind it.
    public func value(of measure: MetricCheck.Measure) -> Double? {
        switch measure {
        case .errorRate: attempts > 0 ? Double(failedAttempts) / Double(attempts) : nil
        case .p99Latency: Self.quantile(latencies, 0.99)
        case .p99TimeToFirstByte: Self.quantile(firstBytes, 0.99)
        case .p99TimeToFirstToken: nil  // nginx sees bytes, not tokens; refused by validation
        }
    }

    /// How many observations stand behind the figure.
    public func observations(of measure: MetricCheck.Measure) -> Int {
        switch measure {
        case .errorRate: attempts
        case .p99Latency: latencies.count
        case .p99TimeToFirstByte: firstBytes.count
        case .p99TimeToFirstToken: 0
        }
    }

    /// Nearest-rank quantile: the smallest value with at least `q` of the values at or below it.
    static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
