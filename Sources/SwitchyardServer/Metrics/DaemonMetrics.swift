import CoreMetrics
import Metrics
import Prometheus

/// The daemon's metrics, in a Prometheus registry the daemon owns (no process-global bootstrap), so several
/// daemons in one process each count only their own. Served as text on `GET /metrics`.
///
/// - `yardd_releases_finished_total{outcome}`: promoted, rolled-back, failed
/// - `yardd_gate_verdicts_total{gate,verdict}`: a gate's verdict once it is settled in a release (passed, failed)
/// - `yardd_gate_measurements_total{gate,result}`: every measurement (pass, fail, inconclusive, error)
/// - `yardd_releases_running`: releases this process drives now
/// - `yardd_manifest_reloads_total{outcome}`: applied, refused
/// - `yardd_http_request_duration_seconds{route,method,status}`: API latency by route pattern, a histogram
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let running: Meter

    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["yardd_http_request_duration_seconds"] = Self.latencyBuckets
        self.registry = registry
        self.factory = factory
        running = Meter(label: "yardd_releases_running", factory: factory)
        running.set(0)
    }

    /// One answered API request. `route` is the route's pattern (`/v1/releases/{id}`), never the raw path.
    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        CoreMetrics.Timer(label: "yardd_http_request_duration_seconds",
                          dimensions: [("route", route), ("method", method), ("status", "\(status)")], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    public func releaseFinished(outcome: String) {
        CoreMetrics.Counter(label: "yardd_releases_finished_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    public func gateSettled(gate: String, verdict: String) {
        CoreMetrics.Counter(label: "yardd_gate_verdicts_total", dimensions: [("gate", gate), ("verdict", verdict)], factory: factory).increment()
    }

    public func gateMeasured(gate: String, result: String) {
        CoreMetrics.Counter(label: "yardd_gate_measurements_total", dimensions: [("gate", gate), ("result", result)], factory: factory).increment()
    }

    public func releasesRunning(_ count: Int) { running.set(Double(count)) }

    public func manifestReload(outcome: String) {
        CoreMetrics.Counter(label: "yardd_manifest_reloads_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// The Prometheus text exposition of everything above.
    public func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
