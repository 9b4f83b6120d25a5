import SwitchyardCore

/// What a gate probe measures: the slot under test, reached directly and through a listener,
/// and the old slot to compare it with.
public struct ProbeTarget: Sendable, Hashable {
    /// The load balancer listener in front of the slot: the preview listener before the switch, the live one after.
    public var listener: HostPort
    /// The instances of the slot under test.
    public var instances: [HostPort]
    /// The instances of the old slot, for baseline comparisons (empty: no baseline).
    public var baseline: [HostPort]
    public var readinessPath: String
    public var metricsPath: String
    /// How the instances name their metrics (the service's); a metric gate may name its own.
    public var metricNames: GatewayMetricNames
    public var scheme: String
    /// The load balancer's structured access log, which `source: loadBalancer` gates read (nil: not known).
    public var accessLog: String?

    public init(listener: HostPort, instances: [HostPort], baseline: [HostPort] = [], readinessPath: String = "/readyz",
                metricsPath: String = "/metrics", metricNames: GatewayMetricNames = GatewayMetricNames(), scheme: String = "http",
                accessLog: String? = nil) {
        self.listener = listener
        self.instances = instances
        self.baseline = baseline
        self.readinessPath = readinessPath
        self.metricsPath = metricsPath
        self.metricNames = metricNames
        self.scheme = scheme
        self.accessLog = accessLog
    }

    func url(_ address: HostPort, _ path: String) -> String {
        "\(scheme)://\(address)\(path.hasPrefix("/") ? path : "/" + path)"
    }
}
