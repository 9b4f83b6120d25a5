/// The figures of one scrape of one instance that the metric gates need: requests (on the mapped
/// route) by status, and the latency and time-to-first-token histograms, read by the gateway's names.
public struct GatewayMetricsSample: Sendable, Hashable {
    /// By the status label's value: a code (`500`) or a class (`5xx`).
    public var requestsByStatus: [String: Double]
    public var requestDuration: HistogramBuckets?
    public var timeToFirstToken: HistogramBuckets?

    public init(requestsByStatus: [String: Double] = [:], requestDuration: HistogramBuckets? = nil, timeToFirstToken: HistogramBuckets? = nil) {
        self.requestsByStatus = requestsByStatus
        self.requestDuration = requestDuration
        self.timeToFirstToken = timeToFirstToken
    }

    public init(_ exposition: PrometheusExposition, names: GatewayMetricNames = GatewayMetricNames()) {
        var byStatus: [String: Double] = [:]
        for sample in exposition.samples(named: names.requests, matching: names.routeMatch) {
            guard let status = sample.labels[names.statusLabel] else { continue }
            byStatus[status, default: 0] += sample.value
        }
        requestsByStatus = byStatus
        requestDuration = names.requestDuration.flatMap { exposition.histogram($0, matching: names.routeMatch) }
        timeToFirstToken = names.timeToFirstToken.flatMap { exposition.histogram($0) }
    }

    public var requests: Double { requestsByStatus.values.reduce(0, +) }
    /// Requests whose status is a 5xx code or the class `5xx`.
    public var serverErrors: Double { requestsByStatus.filter { $0.key.hasPrefix("5") }.values.reduce(0, +) }

    /// What happened since `previous` (nil: since the process started). Any counter that went
    /// down means the instance restarted, and then the whole of `self` is new.
    public func delta(since previous: GatewayMetricsSample?) -> GatewayMetricsSample {
        guard let previous else { return self }
        let restarted = requestsByStatus.contains { $0.value < (previous.requestsByStatus[$0.key] ?? 0) }
            || previous.requestsByStatus.keys.contains { requestsByStatus[$0] == nil }
        if restarted { return self }
        var byStatus: [String: Double] = [:]
        for (status, count) in requestsByStatus { byStatus[status] = count - (previous.requestsByStatus[status] ?? 0) }
        return GatewayMetricsSample(
            requestsByStatus: byStatus,
            requestDuration: requestDuration?.delta(since: previous.requestDuration),
            timeToFirstToken: timeToFirstToken?.delta(since: previous.timeToFirstToken)
        )
    }

    /// Two instances' windows together (a slot's figure is over all its instances).
    public func adding(_ other: GatewayMetricsSample) -> GatewayMetricsSample {
        GatewayMetricsSample(
            requestsByStatus: requestsByStatus.merging(other.requestsByStatus, uniquingKeysWith: +),
            requestDuration: Self.add(requestDuration, other.requestDuration),
            timeToFirstToken: Self.add(timeToFirstToken, other.timeToFirstToken)
        )
    }

    private static func add(_ a: HistogramBuckets?, _ b: HistogramBuckets?) -> HistogramBuckets? {
        switch (a, b) {
        case let (a?, b?): a.adding(b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
    }

    /// Share of completions answered 5xx; nil when there was no request.
    public var errorRate: Double? { requests > 0 ? serverErrors / requests : nil }
    /// p99 request latency in seconds; nil when nothing was observed.
    public var p99Latency: Double? { requestDuration?.quantile(0.99) }
    /// p99 time to first token in seconds; nil when nothing was observed.
    public var p99TimeToFirstToken: Double? { timeToFirstToken?.quantile(0.99) }

    /// The figure a metric gate judges.
    public func value(of measure: MetricCheck.Measure) -> Double? {
        switch measure {
        case .errorRate: errorRate
        case .p99Latency: p99Latency
        case .p99TimeToFirstToken: p99TimeToFirstToken
        case .p99TimeToFirstByte: nil
        }
    }

    /// How many observations stand behind the figure (requests, or histogram count).
    public func observations(of measure: MetricCheck.Measure) -> Int {
        switch measure {
        case .errorRate: Int(requests)
        case .p99Latency: Int(requestDuration?.count ?? 0)
        case .p99TimeToFirstToken: Int(timeToFirstToken?.count ?? 0)
        case .p99TimeToFirstByte: 0
        }
    }
}
