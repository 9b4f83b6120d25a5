/// The metric names a gate reads from an instance's `/metrics`; the defaults are the reference gateway's.
public struct GatewayMetricNames: Sendable, Hashable {
    /// Counter with labels `route` and `status`.
    public var requests = "yard_http_requests_total"
    /// Histogram (seconds) with label `route`.
    public var requestDuration = "yard_http_request_duration_seconds"
    /// Histogram (seconds).
    public var timeToFirstToken = "yard_time_to_first_token_seconds"
    /// The `route` label value of the completions route.
    public var completionsRoute = "/v1/chat/completions"

    public init() {}
}

/// The figures of one scrape of one instance that the metric gates need: requests on the
/// completions route by status, and the latency and time-to-first-token histograms.
public struct GatewayMetricsSample: Sendable, Hashable {
    public var requestsByStatus: [Int: Double]
    public var requestDuration: HistogramBuckets?
    public var timeToFirstToken: HistogramBuckets?

    public init(requestsByStatus: [Int: Double] = [:], requestDuration: HistogramBuckets? = nil, timeToFirstToken: HistogramBuckets? = nil) {
        self.requestsByStatus = requestsByStatus
        self.requestDuration = requestDuration
        self.timeToFirstToken = timeToFirstToken
    }

    public init(_ exposition: PrometheusExposition, names: GatewayMetricNames = GatewayMetricNames()) {
        var byStatus: [Int: Double] = [:]
        for sample in exposition.samples(named: names.requests, matching: ["route": names.completionsRoute]) {
            guard let status = sample.labels["status"].flatMap({ Int($0) }) else { continue }
            byStatus[status, default: 0] += sample.value
        }
        requestsByStatus = byStatus
        requestDuration = exposition.histogram(names.requestDuration, matching: ["route": names.completionsRoute])
        timeToFirstToken = exposition.histogram(names.timeToFirstToken)
    }

    public var requests: Double { requestsByStatus.values.reduce(0, +) }
    public var serverErrors: Double { requestsByStatus.filter { (500...599).contains($0.key) }.values.reduce(0, +) }

    /// What happened since `previous` (nil: since the process started). Any counter that went
    /// down means the instance restarted, and then the whole of `self` is new.
    public func delta(since previous: GatewayMetricsSample?) -> GatewayMetricsSample {
        guard let previous else { return self }
        let restarted = requestsByStatus.contains { $0.value < (previous.requestsByStatus[$0.key] ?? 0) }
            || previous.requestsByStatus.keys.contains { requestsByStatus[$0] == nil }
        if restarted { return self }
        var byStatus: [Int: Double] = [:]
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
        }
    }

    /// How many observations stand behind the figure (requests, or histogram count).
    public func observations(of measure: MetricCheck.Measure) -> Int {
        switch measure {
        case .errorRate: Int(requests)
        case .p99Latency: Int(requestDuration?.count ?? 0)
        case .p99TimeToFirstToken: Int(timeToFirstToken?.count ?? 0)
        }
    }
}
