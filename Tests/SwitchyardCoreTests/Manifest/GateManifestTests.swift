import Testing
import Foundation
@testable import SwitchyardCore

/// The gate and metric-name fields of the manifests: presets, overrides, and located errors for what cannot work.
struct GateManifestTests {
    /// `extra`: top-level fields after the gates (such as a `notify:` list).
    static func playbook(gates: String, extra: String = "") -> String {
        """
        apiVersion: switchyard/v1
        kind: ReleasePlaybook
        name: r1
        topology: local
        service: gateway
        preGates: []
        bake:
          duration: 1m
          interval: 10s
        gates:
        \(gates)
        \(extra)
        """
    }

    static func diagnostics(_ text: String) -> [String] {
        Fixtures.validate(bytes: Array(text.utf8), file: "inline.yaml").map(\.description)
    }

    @Test func anUnknownPresetIsALocatedError() {
        let got = Self.diagnostics(Self.playbook(gates: """
          - name: errors
            kind: metric
            measure: error-rate
            max: 5%
            metricNames: {preset: prometeus}
        """))
        #expect(got == ["inline.yaml:15:27: gates[0].metricNames.preset: expected one of reference, prometheus, promhttp, gin, got \"prometeus\" (did you mean 'prometheus'?)"])
    }

    @Test func aLatencyGateOnNamesWithoutItsHistogramIsRefused() {
        let got = Self.diagnostics(Self.playbook(gates: """
          - name: ttft
            kind: metric
            measure: p99-ttft
            max: 1s
            metricNames: prometheus
        """))
        #expect(got == ["inline.yaml:15:18: gates[0].metricNames: names no histogram for p99-ttft (preset prometheus); set timeToFirstToken"])
    }

    @Test func minAboveMaxIsRefusedAtMin() {
        let got = Self.diagnostics(Self.playbook(gates: """
          - name: prom
            kind: prometheus
            url: http://127.0.0.1:9090
            query: up
            min: 2
            max: 1
          - name: latency
            kind: metric
            measure: p99-latency
            min: 2s
            max: 1s
        """))
        #expect(got == [
            "inline.yaml:15:10: gates[0].min: must not be greater than max (2 > 1): no value would pass",
            "inline.yaml:20:10: gates[1].min: must not be greater than max (2 > 1): no value would pass",
        ])
    }

    @Test func aBadMetricOrLabelNameIsALocatedError() {
        let got = Self.diagnostics(Self.playbook(gates: """
          - name: errors
            kind: metric
            measure: error-rate
            max: 5%
            metricNames: {requests: http-requests, statusLabel: "2code"}
        """))
        #expect(got.count == 2)
        #expect(got[0].contains("gates[0].metricNames.requests: must be a Prometheus metric name"))
        #expect(got[1].contains("gates[0].metricNames.statusLabel: must be a Prometheus label name"))
    }

    @Test func aGateReadsItsOwnNamesAndOnEmpty() throws {
        let decoded = ManifestDecoder.decode(bytes: Array(Self.playbook(gates: """
          - name: errors
            kind: metric
            measure: error-rate
            max: 5%
            metricNames:
              preset: promhttp
              requests: api_requests_total
              route: {label: handler, value: /v1/chat/completions}
              requestDuration: none
          - name: prom
            kind: prometheus
            url: http://127.0.0.1:9090
            query: sum(rate(x[1m]))
            max: 0.05
            onEmpty: pass
        """).utf8), file: "inline.yaml")
        #expect(decoded.diagnostics.isEmpty, "\(decoded.diagnostics)")
        guard case .releasePlaybook(let playbook) = try #require(decoded.manifests.first).manifest else { Issue.record("not a playbook"); return }
        guard case .metric(let check) = playbook.gates[0].probe else { Issue.record("not a metric gate"); return }
        let names = try #require(check.names)
        #expect(names.preset == .promhttp)
        #expect(names.requests == "api_requests_total")
        #expect(names.statusLabel == "code")
        #expect(names.route == GatewayMetricNames.RouteFilter(label: "handler", value: "/v1/chat/completions"))
        #expect(names.requestDuration == nil)
        guard case .prometheus(let prom) = playbook.gates[1].probe else { Issue.record("not a prometheus gate"); return }
        #expect(prom.onEmpty == .pass)
    }

    @Test func metricNamesSurviveTheJournalsEncoding() throws {
        var names = GatewayMetricNames(preset: .reference)
        names.timeToFirstToken = nil
        names.route = nil
        let gate = GateDefinition(name: "e", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05), names: names)))
        let data = try JSONEncoder().encode(gate)
        #expect(try JSONDecoder().decode(GateDefinition.self, from: data) == gate)
        let prom = GateDefinition(name: "p", probe: .prometheus(PrometheusCheck(url: "http://x", query: "up", threshold: Threshold(max: 1), onEmpty: .fail)))
        #expect(try JSONDecoder().decode(GateDefinition.self, from: try JSONEncoder().encode(prom)) == prom)
    }
}

/// `source: loadBalancer` gates: what the load balancer can measure, and located errors for what it cannot.
struct LoadBalancerGateManifestTests {
    @Test func aLoadBalancerGateDecodesWithItsPathFilter() throws {
        let text = GateManifestTests.playbook(gates: """
          - name: ttfb
            kind: metric
            source: loadBalancer
            measure: p99-ttfb
            max: 300ms
            path: /v1/chat/completions
        """)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .releasePlaybook(let playbook)? = decoded.manifests.first?.manifest,
              case .metric(let check)? = playbook.gate(named: "ttfb")?.probe else { Issue.record("no metric gate"); return }
        #expect(check.source == .loadBalancer)
        #expect(check.measure == .p99TimeToFirstByte)
        #expect(check.threshold.max == 0.3)
        #expect(check.path == "/v1/chat/completions")
    }

    @Test func whatTheLoadBalancerCannotSeeIsALocatedError() {
        let ttft = GateManifestTests.diagnostics(GateManifestTests.playbook(gates: """
          - name: ttft
            kind: metric
            source: loadBalancer
            measure: p99-ttft
            max: 300ms
        """))
        #expect(ttft == ["inline.yaml:13:13: gates[0].source: the load balancer sees bytes, not tokens: use measure p99-ttfb (time to the upstream's first byte), or source: metrics"])
        let ttfb = GateManifestTests.diagnostics(GateManifestTests.playbook(gates: """
          - name: ttfb
            kind: metric
            measure: p99-ttfb
            max: 300ms
        """))
        #expect(ttfb == ["inline.yaml:13:14: gates[0].measure: p99-ttfb is measured by the load balancer: set source: loadBalancer, or use p99-ttft from the instances' metrics"])
        let names = GateManifestTests.diagnostics(GateManifestTests.playbook(gates: """
          - name: errors
            kind: metric
            source: loadBalancer
            measure: error-rate
            max: 5%
            metricNames: gin
        """))
        #expect(names == ["inline.yaml:16:18: gates[0].metricNames: is not read with source: loadBalancer: the figures come from nginx's access log, not the instances' metrics"])
        let path = GateManifestTests.diagnostics(GateManifestTests.playbook(gates: """
          - name: errors
            kind: metric
            measure: error-rate
            max: 5%
            path: /v1
        """))
        #expect(path == ["inline.yaml:15:11: gates[0].path: filters the load balancer's requests by path; with source: metrics, filter by route in metricNames.route"])
        let source = GateManifestTests.diagnostics(GateManifestTests.playbook(gates: """
          - name: errors
            kind: metric
            source: nginx
            measure: error-rate
            max: 5%
        """))
        #expect(source.count == 1 && source[0].hasPrefix("inline.yaml:13:13: gates[0].source: expected one of metrics, loadBalancer"))
    }

    @Test func aLoadBalancerGateSurvivesTheJournal() throws {
        let gate = GateDefinition(name: "errors", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05),
                                                                             source: .loadBalancer, path: "/v1")))
        let decoded = try JSONDecoder().decode(GateDefinition.self, from: JSONEncoder().encode(gate))
        #expect(decoded == gate)
    }
}
