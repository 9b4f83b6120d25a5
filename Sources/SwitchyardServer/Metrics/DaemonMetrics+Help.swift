import Prometheus

extension DaemonMetrics {
    /// Every metric the daemon serves, with its name and its `# HELP` text: one list, so no metric goes without one.
    enum Metric: CaseIterable {
        case buildInfo, releasesFinished, gateVerdicts, gateMeasurements, releasesRunning, manifestReloads
        case drillRuns, drillLastRTO, drillLastRequestsLost, requestDuration, leader, leaderGeneration, leaderChanges

        var name: String {
            switch self {
            case .buildInfo: "yard_build_info"
            case .releasesFinished: "yardd_releases_finished_total"
            case .gateVerdicts: "yardd_gate_verdicts_total"
            case .gateMeasurements: "yardd_gate_measurements_total"
            case .releasesRunning: "yardd_releases_running"
            case .manifestReloads: "yardd_manifest_reloads_total"
            case .drillRuns: "yardd_drill_runs_total"
            case .drillLastRTO: "yardd_drill_last_rto_seconds"
            case .drillLastRequestsLost: "yardd_drill_last_requests_lost"
            case .requestDuration: "yardd_http_request_duration_seconds"
            case .leader: "yardd_is_leader"
            case .leaderGeneration: "yardd_leader_generation"
            case .leaderChanges: "yardd_leader_changes_total"
            }
        }

        var help: String {
            switch self {
            case .buildInfo: "The build of yardd that serves: always 1, with its version and git commit as labels."
            case .releasesFinished: "Releases this yardd drove to their end, by outcome (promoted, rolled-back, failed)."
            case .gateVerdicts: "Gate verdicts settled in releases, by gate and verdict (passed, failed)."
            case .gateMeasurements: "Gate measurements taken in releases, by gate and result (pass, fail, inconclusive, error)."
            case .releasesRunning: "Releases this yardd drives now."
            case .manifestReloads: "Manifest reloads (SIGHUP or POST /v1/reload), by outcome (applied, refused)."
            case .drillRuns: "Drill runs this yardd drove to their end, by outcome (passed, failed, aborted, error)."
            case .drillLastRTO: "The recovery time of the last finished run of each drill playbook, in seconds; NaN when traffic did not recover."
            case .drillLastRequestsLost: "Requests lost (failed or cut) in the last finished run of each drill playbook."
            case .requestDuration: "Time to answer API requests, by route pattern, method and status."
            case .leader: "1 while this yardd leads (fires schedules, drives releases and drills), 0 while it is a standby."
            case .leaderGeneration: "The generation of the leadership lease this yardd holds or last saw held (each takeover raises it)."
            case .leaderChanges: "Times this yardd became leader or stopped leading, by change (elected, deposed)."
            }
        }
    }

    static func describe(_ metric: Metric) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric.name, unitName: "", helpText: metric.help)
    }
}
