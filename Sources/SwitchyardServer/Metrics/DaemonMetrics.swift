import Prometheus
import SwitchyardBuildInfo
import SwitchyardCore

/// The daemon's metrics, in a Prometheus registry the daemon owns (no process-global bootstrap), so several
/// daemons in one process each count only their own. Served as text on `GET /metrics`, every metric with its
/// `# HELP` and `# TYPE` lines (the help texts are in `DaemonMetrics+Help.swift`).
///
/// - `yard_build_info{version,commit}`: 1, the build that serves
/// - `yardd_releases_finished_total{outcome}`: promoted, rolled-back, failed
/// - `yardd_gate_verdicts_total{gate,verdict}`: a gate's verdict once it is settled in a release (passed, failed)
/// - `yardd_gate_measurements_total{gate,result}`: every measurement (pass, fail, inconclusive, error)
/// - `yardd_releases_running`: releases this process drives now
/// - `yardd_manifest_reloads_total{outcome}`: applied, refused
/// - `yardd_drill_runs_total{outcome}`: drill runs this process finished: passed, failed, aborted, error
/// - `yardd_drill_last_rto_seconds{playbook}`: the last finished run's RTO (NaN when traffic did not recover)
/// - `yardd_drill_last_requests_lost{playbook}`: the last finished run's requests lost
/// - `yardd_http_request_duration_seconds{route,method,status}`: API latency by route pattern, a histogram
/// - `yardd_is_leader`: 1 while this daemon leads, 0 as a standby; `yardd_leader_generation`: the lease's generation
/// - `yardd_leader_changes_total{change}`: elected, deposed
///
/// Counters with a small known label set start at 0, so a rate over them has a series from the first scrape.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let running: Gauge
    private let leading: Gauge
    private let generation: Gauge

    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    public init(version: String = BuildInfo.version, commit: String = BuildInfo.commit) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        registry.makeGauge(descriptor: Self.describe(.buildInfo), labels: [("version", version), ("commit", commit)]).set(to: 1.0)
        running = registry.makeGauge(descriptor: Self.describe(.releasesRunning))
        running.set(to: 0.0)
        leading = registry.makeGauge(descriptor: Self.describe(.leader))
        leading.set(to: 0.0)
        generation = registry.makeGauge(descriptor: Self.describe(.leaderGeneration))
        generation.set(to: 0.0)
        for change in ["elected", "deposed"] { _ = counter(.leaderChanges, [("change", change)]) }
        for outcome in ["promoted", "rolled-back", "failed"] { _ = counter(.releasesFinished, [("outcome", outcome)]) }
        for outcome in ["applied", "refused"] { _ = counter(.manifestReloads, [("outcome", outcome)]) }
        for outcome in DrillOutcome.allCases { _ = counter(.drillRuns, [("outcome", outcome.rawValue)]) }
    }

    func counter(_ metric: Metric, _ labels: [(String, String)]) -> Counter {
        registry.makeCounter(descriptor: Self.describe(metric), labels: labels)
    }

    func gauge(_ metric: Metric, _ labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: Self.describe(metric), labels: labels)
    }

    /// One answered API request. `route` is the route's pattern (`/v1/releases/{id}`), never the raw path.
    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeDurationHistogram(descriptor: Self.describe(.requestDuration),
                                       labels: [("route", route), ("method", method), ("status", "\(status)")], buckets: Self.latencyBuckets)
            .recordNanoseconds(duration.nanoseconds)
    }

    public func releaseFinished(outcome: String) { counter(.releasesFinished, [("outcome", outcome)]).increment() }

    public func gateSettled(gate: String, verdict: String) { counter(.gateVerdicts, [("gate", gate), ("verdict", verdict)]).increment() }

    public func gateMeasured(gate: String, result: String) { counter(.gateMeasurements, [("gate", gate), ("result", result)]).increment() }

    public func releasesRunning(_ count: Int) { running.set(to: Double(count)) }

    /// This daemon leads (`true`) or not, under lease generation `generation` (held, or seen held by another).
    public func leadership(leading isLeader: Bool, generation value: Int) {
        leading.set(to: isLeader ? 1.0 : 0.0)
        generation.set(to: Double(value))
    }

    public func leaderChanged(_ change: String) { counter(.leaderChanges, [("change", change)]).increment() }

    public func manifestReload(outcome: String) { counter(.manifestReloads, [("outcome", outcome)]).increment() }

    /// A drill run this process drove has its report.
    public func drillFinished(_ report: DrillReport) {
        counter(.drillRuns, [("outcome", report.outcome.rawValue)]).increment()
        let playbook = [("playbook", report.playbook)]
        gauge(.drillLastRTO, playbook).set(to: report.measurements?.rto ?? .nan)
        gauge(.drillLastRequestsLost, playbook).set(to: Double(report.measurements?.requestsLost ?? 0))
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
