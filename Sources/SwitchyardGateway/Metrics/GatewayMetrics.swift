import CoreMetrics
import Metrics
import Prometheus

/// The instance's metrics, kept in its own Prometheus registry (no process-global bootstrap), so
/// several gateways in one test process each count only their own traffic.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    private let openStreams: Meter
    private let streamsCompleted: CoreMetrics.Counter
    private let streamsCut: CoreMetrics.Counter
    private let streamsAbandoned: CoreMetrics.Counter
    private let streamsResumed: CoreMetrics.Counter
    private let upstreamRetries: CoreMetrics.Counter
    private let breakerState: Meter
    private let timeToFirstToken: CoreMetrics.Timer

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["yard_time_to_first_token_seconds"] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
        openStreams = Meter(label: "yard_open_streams", factory: factory)
        streamsCompleted = CoreMetrics.Counter(label: "yard_streams_completed_total", factory: factory)
        streamsCut = CoreMetrics.Counter(label: "yard_streams_cut_total", factory: factory)
        streamsAbandoned = CoreMetrics.Counter(label: "yard_streams_abandoned_total", factory: factory)
        streamsResumed = CoreMetrics.Counter(label: "yard_streams_resumed_total", factory: factory)
        upstreamRetries = CoreMetrics.Counter(label: "yard_upstream_retries_total", factory: factory)
        breakerState = Meter(label: "yard_breaker_state", factory: factory)
        timeToFirstToken = CoreMetrics.Timer(label: "yard_time_to_first_token_seconds", factory: factory)
        openStreams.set(0)
        breakerState.set(0)
    }

    /// One answered request. `route` is a fixed route name, never a raw path, to keep label values few.
    public func recordRequest(route: String, status: Int, duration: Duration) {
        CoreMetrics.Counter(label: "yard_http_requests_total", dimensions: [("route", route), ("status", "\(status)")], factory: factory)
            .increment()
        CoreMetrics.Timer(label: "yard_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    public func recordTimeToFirstToken(_ duration: Duration) {
        timeToFirstToken.recordNanoseconds(duration.nanoseconds)
    }

    public func streamOpened() { openStreams.increment() }

    public func streamClosed(_ end: DrainState.StreamEnd) {
        openStreams.decrement()
        switch end {
        case .completed: streamsCompleted.increment()
        case .cut: streamsCut.increment()
        case .abandoned: streamsAbandoned.increment()
        }
    }

    public func streamResumed() { streamsResumed.increment() }
    public func upstreamRetried() { upstreamRetries.increment() }
    /// One failed upstream attempt, or a stream the upstream broke (`midstream`).
    public func upstreamFailed(_ reason: String) {
        CoreMetrics.Counter(label: "yard_upstream_failures_total", dimensions: [("reason", reason)], factory: factory).increment()
    }
    public func breakerChanged(to state: CircuitBreaker.State) { breakerState.set(state.gaugeValue) }

    /// The Prometheus text exposition of everything above.
    public func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
