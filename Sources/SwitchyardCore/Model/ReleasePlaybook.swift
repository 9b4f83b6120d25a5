/// How a service is released: waves of zones, gates before and after the switch, the bake,
/// and what happens to the old slot.
public struct ReleasePlaybook: Sendable, Hashable, Encodable {
    public enum Promotion: String, Sendable, Hashable, Codable, CaseIterable { case auto, manual }

    public var name: String
    public var description: String?
    public var topology: String
    public var service: String
    /// Zone order: each wave is switched and baked before the next. Empty: all zones at once.
    public var waves: [[String]]
    /// Gates run against the idle slot through the preview listener, before traffic moves.
    public var preGates: [String]
    public var bake: Bake
    public var gates: [GateDefinition]
    /// How long the old slot stays up after promotion before it is drained and stopped.
    public var scaleDownDelay: TimeSpan
    /// Keep the old slot running after promotion, for an instant rollback.
    public var keepWarm: Bool
    public var promotion: Promotion
    /// Targets told about this playbook's releases, besides the topology's.
    public var notify: [NotifyTarget] = []

    public struct Bake: Sendable, Hashable, Encodable {
        public var duration: TimeSpan
        public var interval: TimeSpan
        public var gates: [String]

        public init(duration: TimeSpan, interval: TimeSpan, gates: [String]) {
            self.duration = duration
            self.interval = interval
            self.gates = gates
        }
    }

    public init(name: String, description: String? = nil, topology: String, service: String, waves: [[String]] = [],
                preGates: [String], bake: Bake, gates: [GateDefinition], scaleDownDelay: TimeSpan = .seconds(30),
                keepWarm: Bool = false, promotion: Promotion = .auto) {
        self.name = name
        self.description = description
        self.topology = topology
        self.service = service
        self.waves = waves
        self.preGates = preGates
        self.bake = bake
        self.gates = gates
        self.scaleDownDelay = scaleDownDelay
        self.keepWarm = keepWarm
        self.promotion = promotion
    }

    public func gate(named name: String) -> GateDefinition? { gates.first { $0.name == name } }
}

/// A gate: a measurement taken again and again, judged pass, fail, inconclusive or error.
public struct GateDefinition: Sendable, Hashable, Encodable {
    /// What an inconclusive measurement counts as.
    public enum Inconclusive: String, Sendable, Hashable, Codable, CaseIterable { case pass, fail, ignore }

    public var name: String
    public var probe: GateProbe
    /// Failed measurements tolerated; one more fails the gate.
    public var failureLimit: Int
    /// Failed measurements in a row that fail the gate at once (nil: only failureLimit counts).
    public var consecutiveFailureLimit: Int?
    /// Measurements in a row that could not be taken (backend down) before the gate fails closed.
    public var consecutiveErrorLimit: Int
    public var inconclusive: Inconclusive

    public init(name: String, probe: GateProbe, failureLimit: Int = 0, consecutiveFailureLimit: Int? = nil,
                consecutiveErrorLimit: Int = 3, inconclusive: Inconclusive = .ignore) {
        self.name = name
        self.probe = probe
        self.failureLimit = failureLimit
        self.consecutiveFailureLimit = consecutiveFailureLimit
        self.consecutiveErrorLimit = consecutiveErrorLimit
        self.inconclusive = inconclusive
    }
}

/// The measurement behind a gate. One case per kind, so every switch over it is exhaustive.
public enum GateProbe: Sendable, Hashable {
    /// An HTTP request to each instance (or through the listener): expected status and body text.
    case http(HTTPCheck)
    /// N streamed completions: first event within a bound, every stream ends with `[DONE]`, events well-formed.
    case sse(SSECheck)
    /// A figure scraped from the instances' metrics endpoint, with a threshold and a baseline comparison.
    case metric(MetricCheck)
    /// A PromQL query over the Prometheus HTTP API with a threshold.
    case prometheus(PrometheusCheck)

    public var kind: String {
        switch self {
        case .http: "http"
        case .sse: "sse"
        case .metric: "metric"
        case .prometheus: "prometheus"
        }
    }

    public static let kinds = ["http", "sse", "metric", "prometheus"]
}

public struct HTTPCheck: Sendable, Hashable, Encodable {
    public var path: String
    public var method: String
    public var expectStatus: Int
    public var bodyContains: String?
    public var timeout: TimeSpan

    public init(path: String, method: String = "GET", expectStatus: Int = 200, bodyContains: String? = nil, timeout: TimeSpan = .seconds(2)) {
        self.path = path
        self.method = method
        self.expectStatus = expectStatus
        self.bodyContains = bodyContains
        self.timeout = timeout
    }
}

public struct SSECheck: Sendable, Hashable, Encodable {
    public var path: String
    public var streams: Int
    public var firstEventWithin: TimeSpan
    public var timeout: TimeSpan

    public init(path: String = "/v1/chat/completions", streams: Int = 5, firstEventWithin: TimeSpan = .ms(500), timeout: TimeSpan = .seconds(30)) {
        self.path = path
        self.streams = streams
        self.firstEventWithin = firstEventWithin
        self.timeout = timeout
    }
}

/// Bounds on a measured value; either or both.
public struct Threshold: Sendable, Hashable, Encodable {
    public var min: Double?
    public var max: Double?

    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` is within the bounds. NaN is within no bounds, and neither is an infinity
    /// (a ratio over zero requests, an overflowing query): neither is a figure a release may pass on.
    public func admits(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        return (min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true)
    }
}

public struct MetricCheck: Sendable, Hashable, Encodable {
    public enum Measure: String, Sendable, Hashable, Codable, CaseIterable {
        /// Share of requests answered 5xx (0...1).
        case errorRate = "error-rate"
        /// 99th percentile request latency, in seconds.
        case p99Latency = "p99-latency"
        /// 99th percentile time to first token, in seconds (the gateway's own histogram).
        case p99TimeToFirstToken = "p99-ttft"
        /// 99th percentile time to the upstream's first byte (its response header), in seconds: what the
        /// load balancer sees of a stream's start. Only from `source: loadBalancer`.
        case p99TimeToFirstByte = "p99-ttfb"

        /// Whether `source` can measure it: the instances' metrics know tokens, the load balancer bytes.
        public func measurable(from source: Source) -> Bool {
            switch (self, source) {
            case (.errorRate, _), (.p99Latency, _): true
            case (.p99TimeToFirstToken, .metrics), (.p99TimeToFirstByte, .loadBalancer): true
            case (.p99TimeToFirstToken, .loadBalancer), (.p99TimeToFirstByte, .metrics): false
            }
        }
    }

    /// Where the figure comes from.
    public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// Scraped from each instance's metrics endpoint, by the gateway's metric names.
        case metrics
        /// Computed from the load balancer's structured access log: the requests users really sent,
        /// attributed to a slot by upstream address. Needs nothing from the gateway.
        case loadBalancer
    }

    public var measure: Measure
    public var threshold: Threshold
    /// The new slot may be worse than the old slot's baseline by at most this much (absolute, same unit).
    public var maxIncreaseOverBaseline: Double?
    /// The gateway's metric names for this gate; nil reads the service's `metricNames`. Metrics source only.
    public var names: GatewayMetricNames?
    public var source: Source
    /// Only requests whose path starts with this count (load balancer source), e.g. `/v1/chat/completions`.
    public var path: String?

    public init(measure: Measure, threshold: Threshold, maxIncreaseOverBaseline: Double? = nil, names: GatewayMetricNames? = nil,
                source: Source = .metrics, path: String? = nil) {
        self.measure = measure
        self.threshold = threshold
        self.maxIncreaseOverBaseline = maxIncreaseOverBaseline
        self.names = names
        self.source = source
        self.path = path
    }
}

public struct PrometheusCheck: Sendable, Hashable, Encodable {
    /// What an empty result (no series) counts as. An error-ratio query over a healthy gateway, or an
    /// alert expression ending in `> 0.05`, is empty when all is well: such a gate says `pass`.
    public enum OnEmpty: String, Sendable, Hashable, Codable, CaseIterable { case pass, fail, inconclusive }

    public var url: String
    public var query: String
    public var threshold: Threshold
    public var timeout: TimeSpan
    public var onEmpty: OnEmpty

    public init(url: String, query: String, threshold: Threshold, timeout: TimeSpan = .seconds(5), onEmpty: OnEmpty = .inconclusive) {
        self.url = url
        self.query = query
        self.threshold = threshold
        self.timeout = timeout
        self.onEmpty = onEmpty
    }
}
