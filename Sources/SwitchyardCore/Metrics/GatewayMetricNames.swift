/// How a gateway names the metrics the gates read from each instance's metrics endpoint: the request
/// counter and its status label, an optional route filter, the latency histogram and the time-to-first-token
/// histogram. A topology's service names them (`metricNames:`), a metric gate may name its own; both start
/// from a preset and override what differs.
public struct GatewayMetricNames: Sendable, Hashable, Codable {
    /// The usual names, to start from.
    public enum Preset: String, Sendable, Hashable, Codable, CaseIterable {
        /// `yard-gateway`: `yard_http_requests_total{route,status}`, `yard_http_request_duration_seconds{route}`,
        /// `yard_time_to_first_token_seconds`, completions on `/v1/chat/completions`.
        case reference
        /// The names most Prometheus client middlewares use (Python, Node, FastAPI instrumentators):
        /// `http_requests_total{status}` and `http_request_duration_seconds`; no route filter, no TTFT.
        case prometheus
        /// Go's `promhttp` instrumentation: the same names with the status in label `code`.
        case promhttp
        /// Gin's Prometheus middleware: `gin_requests_total{code}` and `gin_request_duration_seconds`.
        case gin
    }

    /// Only series whose label `label` is `value` count (a route or handler).
    public struct RouteFilter: Sendable, Hashable, Codable {
        public var label: String
        public var value: String

        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }

    /// The preset these names started from (shown in messages).
    public var preset: Preset
    /// A counter of requests, with the status in `statusLabel`.
    public var requests: String
    /// The label holding the status: a code such as `500` or a class such as `5xx`; either starting with 5 is a server error.
    public var statusLabel: String
    /// Applied to the request counter and the latency histogram; nil counts every route.
    public var route: RouteFilter?
    /// A histogram of whole-request durations, in seconds; nil when the gateway has none.
    public var requestDuration: String?
    /// A histogram of the time to first token, in seconds (not filtered by route); nil when the gateway has none.
    public var timeToFirstToken: String?

    public init(preset: Preset = .reference) {
        self.preset = preset
        switch preset {
        case .reference:
            requests = "yard_http_requests_total"
            statusLabel = "status"
            route = RouteFilter(label: "route", value: "/v1/chat/completions")
            requestDuration = "yard_http_request_duration_seconds"
            timeToFirstToken = "yard_time_to_first_token_seconds"
        case .prometheus:
            requests = "http_requests_total"
            statusLabel = "status"
            route = nil
            requestDuration = "http_request_duration_seconds"
            timeToFirstToken = nil
        case .promhttp:
            requests = "http_requests_total"
            statusLabel = "code"
            route = nil
            requestDuration = "http_request_duration_seconds"
            timeToFirstToken = nil
        case .gin:
            requests = "gin_requests_total"
            statusLabel = "code"
            route = nil
            requestDuration = "gin_request_duration_seconds"
            timeToFirstToken = nil
        }
    }

    /// These names with only series whose label `label` is `value` counted.
    public func filtered(label: String, value: String) -> GatewayMetricNames {
        var names = self
        names.route = RouteFilter(label: label, value: value)
        return names
    }

    /// The histogram a latency measure reads, or nil when these names have none.
    public func histogram(for measure: MetricCheck.Measure) -> String? {
        switch measure {
        case .errorRate: nil
        case .p99Latency: requestDuration
        case .p99TimeToFirstToken: timeToFirstToken
        case .p99TimeToFirstByte: nil
        }
    }

    /// The labels a series must carry to count, for the counter and the latency histogram.
    public var routeMatch: [String: String] { route.map { [$0.label: $0.value] } ?? [:] }

    /// In the manifest's shape: every field written, an absent one as `none`, so that the YAML and the
    /// journal read back the same names whatever the preset's defaults.
    enum CodingKeys: String, CodingKey { case preset, requests, statusLabel, route, requestDuration, timeToFirstToken }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(preset, forKey: .preset)
        try c.encode(requests, forKey: .requests)
        try c.encode(statusLabel, forKey: .statusLabel)
        if let route { try c.encode(route, forKey: .route) } else { try c.encode("none", forKey: .route) }
        try c.encode(requestDuration ?? "none", forKey: .requestDuration)
        try c.encode(timeToFirstToken ?? "none", forKey: .timeToFirstToken)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(preset: try c.decodeIfPresent(Preset.self, forKey: .preset) ?? .reference)
        if let requests = try c.decodeIfPresent(String.self, forKey: .requests) { self.requests = requests }
        if let label = try c.decodeIfPresent(String.self, forKey: .statusLabel) { statusLabel = label }
        if c.contains(.route) { route = try? c.decode(RouteFilter.self, forKey: .route) }
        func histogram(_ key: CodingKeys, _ fallback: String?) throws -> String? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return fallback }
            return text == "none" ? nil : text
        }
        requestDuration = try histogram(.requestDuration, requestDuration)
        timeToFirstToken = try histogram(.timeToFirstToken, timeToFirstToken)
    }
}
