import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer
import SwitchyardBuildInfo

/// `GET /metrics`: Prometheus text, no token, one registry per daemon.
@Suite(.serialized) struct MetricsTests {
    /// The value of the first sample whose line starts with `series` (name and labels, as exposed).
    static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func requestLatencyIsRecordedByRoutePatternAndStatusWithoutAToken() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }) { yardd in
            #expect(try await yardd.get("/v1/releases/rel-1", as: .role(.viewer)).status == 200)
            #expect(try await yardd.get("/v1/releases/rel-1", as: .role(.viewer)).status == 200)
            #expect(try await yardd.get("/v1/releases/rel-missing", as: .role(.viewer)).status == 404)
            #expect(try await yardd.get("/v1/releases/rel-1", as: .none).status == 401)
            #expect(try await yardd.get("/v1/no-such-route").status == 404)

            let text = try await yardd.text("/metrics")
            let route = #"route="/v1/releases/{id}""#
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="200"}"#) == 2, "\(text)")
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="404"}"#) == 1)
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{\#(route),method="GET",status="401"}"#) == 1)
            #expect(Self.sample(text, #"yardd_http_request_duration_seconds_count{route="unmatched",method="GET",status="404"}"#) == 1, "\(text.split(separator: "\n").filter { $0.contains("_count") })")
            #expect(text.contains(#"yardd_http_request_duration_seconds_bucket{\#(route),method="GET",status="200",le="0.005"}"#))
            #expect(!text.contains("rel-1"), "raw paths never become label values")
            #expect(text.contains("# TYPE yardd_http_request_duration_seconds histogram"))
        }
    }

    @Test func releasesRunningIsAGaugeOfTheReleasesThisDaemonDrives() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-resumed") }) { yardd in
            let text = try await yardd.text("/metrics")
            #expect(Self.sample(text, "yardd_releases_running") == 1, "\(text)")
            #expect(text.contains("# TYPE yardd_releases_running gauge"))
        }
    }

    @Test func eachDaemonCountsOnlyItsOwn() async throws {
        try await DaemonHarness.with { first in
            try await DaemonHarness.with { second in
                for _ in 0..<3 { _ = try await first.get("/v1/topologies") }
                let series = #"yardd_http_request_duration_seconds_count{route="/v1/topologies",method="GET",status="200"}"#
                #expect(Self.sample(try await first.text("/metrics"), series) == 3)
                #expect(Self.sample(try await second.text("/metrics"), series) == nil)
            }
        }
    }

    @Test func releaseOutcomesAndGateVerdictsAreCounted() {
        let metrics = DaemonMetrics()
        metrics.releaseFinished(outcome: "promoted")
        metrics.releaseFinished(outcome: "promoted")
        metrics.releaseFinished(outcome: "rolled-back")
        metrics.gateSettled(gate: "error-rate", verdict: "failed")
        metrics.gateMeasured(gate: "error-rate", result: "fail")
        let text = metrics.exposition()
        #expect(Self.sample(text, #"yardd_releases_finished_total{outcome="promoted"}"#) == 2, "\(text)")
        #expect(Self.sample(text, #"yardd_releases_finished_total{outcome="rolled-back"}"#) == 1)
        #expect(Self.sample(text, #"yardd_gate_verdicts_total{gate="error-rate",verdict="failed"}"#) == 1)
        #expect(Self.sample(text, #"yardd_gate_measurements_total{gate="error-rate",result="fail"}"#) == 1)
    }

    @Test func aGateVerdictIsCountedOnceWhenItSettles() {
        let gates = SettledGates()
        #expect(gates.settle("p99", .pending) == nil)
        #expect(gates.settle("p99", .passed) == "passed")
        #expect(gates.settle("p99", .passed) == nil, "later measurements of a passed gate are not new verdicts")
        #expect(gates.settle("p99", .failed(reason: "p99 210 ms > 150 ms")) == "failed")
        #expect(gates.settle("error-rate", .failed(reason: "x")) == "failed")
    }

    /// The metric family a sample line belongs to: its name, without a histogram's `_bucket`, `_sum` or `_count`.
    static func families(_ text: String) -> Set<String> {
        var families: Set<String> = []
        let declared = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family = ["_bucket", "_sum", "_count"].compactMap { suffix in
                name.hasSuffix(suffix) && declared.contains(String(name.dropLast(suffix.count))) ? String(name.dropLast(suffix.count)) : nil
            }.first ?? name
            families.insert(family)
        }
        return families
    }

    /// Every sample's family has one `# HELP` line (with text) and one `# TYPE` line, before its samples.
    static func expectHelpAndType(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let lines = text.split(separator: "\n").map(String.init)
        for family in families(text) {
            let help = lines.firstIndex { $0.hasPrefix("# HELP \(family) ") && $0.count > "# HELP \(family) ".count }
            let type = lines.firstIndex { $0.hasPrefix("# TYPE \(family) ") }
            let firstSample = lines.firstIndex { !$0.hasPrefix("#") && ($0.hasPrefix(family + "{") || $0.hasPrefix(family + " ") || $0.hasPrefix(family + "_")) }
            #expect(help != nil, "no # HELP for \(family)", sourceLocation: sourceLocation)
            #expect(type != nil, "no # TYPE for \(family)", sourceLocation: sourceLocation)
            if let help, let type, let firstSample { #expect(help < firstSample && type < firstSample, "\(family): HELP and TYPE come first", sourceLocation: sourceLocation) }
            #expect(lines.filter { $0.hasPrefix("# HELP \(family) ") }.count == 1, "one # HELP for \(family)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyMetricOfARunningDaemonHasHelpAndTypeAndTheBuildIsNamed() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }) { yardd in
            _ = try await yardd.get("/v1/releases/rel-1", as: .role(.viewer))
            let text = try await yardd.text("/metrics")
            Self.expectHelpAndType(text)
            #expect(Self.sample(text, #"yard_build_info{version="\#(BuildInfo.version)",commit="\#(BuildInfo.commit)"}"#) == 1, "\(text)")
            #expect(text.contains("# TYPE yard_build_info gauge"))
            // Known outcomes start at 0, so a rate has a series before the first release or drill ends.
            #expect(Self.sample(text, #"yardd_releases_finished_total{outcome="rolled-back"}"#) == 0)
            #expect(Self.sample(text, #"yardd_drill_runs_total{outcome="failed"}"#) == 0)
            #expect(text.contains("# TYPE yardd_drill_runs_total counter"))
            #expect(Self.families(text).isSuperset(of: ["yard_build_info", "yardd_releases_running", "yardd_releases_finished_total",
                                                        "yardd_manifest_reloads_total", "yardd_drill_runs_total", "yardd_http_request_duration_seconds",
                                                        "yardd_is_leader", "yardd_leader_generation", "yardd_leader_changes_total"]))
        }
    }

    @Test func everyKindOfMetricHasHelpAndTypeOnceUsed() {
        let metrics = DaemonMetrics(version: "9.9.9", commit: "abc123")
        metrics.releaseFinished(outcome: "promoted")
        metrics.gateSettled(gate: "p99", verdict: "passed")
        metrics.gateMeasured(gate: "p99", result: "pass")
        metrics.releasesRunning(2)
        metrics.manifestReload(outcome: "applied")
        metrics.recordRequest(route: "/v1/releases", method: "GET", status: 200, duration: .milliseconds(3))
        metrics.drillFinished(Self.drillReport("drill-zone-outage", outcome: .passed, rto: 4.5, lost: 3))
        let text = metrics.exposition()
        Self.expectHelpAndType(text)
        #expect(Self.families(text) == Set(DaemonMetrics.Metric.allCases.map(\.name)), "\(text)")
        #expect(Self.sample(text, #"yard_build_info{version="9.9.9",commit="abc123"}"#) == 1)
    }

    static func drillReport(_ playbook: String, outcome: DrillOutcome, rto: Double?, lost: Int) -> DrillReport {
        DrillReport(id: "dr-\(playbook)", playbook: playbook, topology: "local", faultKind: "zone-outage", faultDescription: "zone a down",
                    startedAt: Date(), finishedAt: Date(), outcome: outcome,
                    measurements: DrillMeasurements(injectedAt: 2, restoredAt: 12, timeToDetect: 1, rto: rto, recoveredBeforeRestore: false,
                                                    lowestSuccessRate: 0.5, requestsLost: lost, streamsCut: 0, worstP99: 80))
    }

    @Test func drillRunsAreCountedByOutcomeWithTheLastRTOAndRequestsLostPerPlaybook() {
        let metrics = DaemonMetrics()
        metrics.drillFinished(Self.drillReport("drill-zone-outage", outcome: .passed, rto: 4.5, lost: 3))
        metrics.drillFinished(Self.drillReport("drill-zone-outage", outcome: .failed, rto: 7.25, lost: 40))
        metrics.drillFinished(Self.drillReport("drill-db-primary-loss", outcome: .failed, rto: nil, lost: 120))
        let text = metrics.exposition()
        #expect(Self.sample(text, #"yardd_drill_runs_total{outcome="passed"}"#) == 1, "\(text)")
        #expect(Self.sample(text, #"yardd_drill_runs_total{outcome="failed"}"#) == 2)
        #expect(Self.sample(text, #"yardd_drill_runs_total{outcome="aborted"}"#) == 0)
        #expect(Self.sample(text, #"yardd_drill_last_rto_seconds{playbook="drill-zone-outage"}"#) == 7.25, "the last run's, not the first")
        #expect(Self.sample(text, #"yardd_drill_last_requests_lost{playbook="drill-zone-outage"}"#) == 40)
        #expect(Self.sample(text, #"yardd_drill_last_rto_seconds{playbook="drill-db-primary-loss"}"#)?.isNaN == true, "not recovered: NaN")
        #expect(Self.sample(text, #"yardd_drill_last_requests_lost{playbook="drill-db-primary-loss"}"#) == 120)
    }
}
