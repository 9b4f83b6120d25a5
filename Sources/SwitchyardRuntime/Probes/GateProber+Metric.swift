import Foundation
import SwitchyardCore

extension GateProber {
    /// Scrapes every instance of the slot (and of the baseline), computes the figure over the
    /// window since this gate's previous scrape, and judges it with `MetricJudge`.
    func measureMetric(_ check: MetricCheck, gate: String, target: ProbeTarget) async -> GateMeasurement {
        let timeout = Duration.seconds(5)
        let names = check.names ?? target.metricNames
        let slot = await scrape(target.instances, target: target, names: names, timeout: timeout)
        let base = target.baseline.isEmpty ? [] : await scrape(target.baseline, target: target, names: names, timeout: timeout)
        let failed = slot.filter { $0.1 == nil }.map(\.0)
        if !failed.isEmpty || slot.isEmpty {
            let reasons = slot.compactMap { $0.2 }.joined(separator: "; ")
            return .error(slot.isEmpty ? "no instance to scrape" : "metrics scrape failed: \(reasons)")
        }
        let window = windowOver(slot, gate: gate, baseline: false)
        var baselineValue: Double?
        var note = ""
        if !base.isEmpty {
            if base.contains(where: { $0.1 == nil }) {
                let reasons = base.compactMap { $0.2 }.joined(separator: "; ")
                if check.maxIncreaseOverBaseline != nil { return .error("baseline metrics scrape failed: \(reasons)") }
                note = " (baseline not scraped: \(reasons))"
            } else {
                baselineValue = windowOver(base, gate: gate, baseline: true).value(of: check.measure)
            }
        }
        let requests = window.observations(of: check.measure)
        var measurement = MetricJudge.judge(check, value: window.value(of: check.measure), baseline: baselineValue, requests: requests)
        let baselineText = baselineValue.map { ", old slot \(Self.format($0, check.measure))" } ?? ""
        measurement.message += " over \(requests) observations on \(slot.count) instances\(baselineText)\(note)"
        return measurement
    }

    /// The windows of each instance added together; the new scrapes become the previous ones.
    private func windowOver(_ scrapes: [(HostPort, GatewayMetricsSample?, String?)], gate: String, baseline: Bool) -> GatewayMetricsSample {
        var total = GatewayMetricsSample()
        for (instance, sample) in scrapes.compactMap({ s in s.1.map { (s.0, $0) } }) {
            let key = ScrapeKey(gate: gate, baseline: baseline, instance: instance)
            total = total.adding(sample.delta(since: previous[key]))
            previous[key] = sample
        }
        return total
    }

    /// Every instance's metrics, concurrently; a failure carries its reason.
    private func scrape(_ instances: [HostPort], target: ProbeTarget, names: GatewayMetricNames,
                        timeout: Duration) async -> [(HostPort, GatewayMetricsSample?, String?)] {
        let client = self.client
        return await withTaskGroup(of: (HostPort, GatewayMetricsSample?, String?).self) { group in
            for instance in instances {
                let url = target.url(instance, target.metricsPath)
                group.addTask {
                    do {
                        let answer = try await ProbeHTTP.fetch(client, url: url, timeout: timeout)
                        guard answer.status == 200 else { return (instance, nil, "\(instance) answered \(answer.status)") }
                        return (instance, GatewayMetricsSample(try PrometheusExposition.parse(answer.body), names: names), nil)
                    } catch {
                        return (instance, nil, "\(instance): \(ProbeHTTP.reason(error))")
                    }
                }
            }
            var all: [(HostPort, GatewayMetricsSample?, String?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0.description < $1.0.description }
        }
    }
}

extension GateProber {
    /// A figure the way the gate's judge writes it: a percentage or milliseconds.
    static func format(_ value: Double, _ measure: MetricCheck.Measure) -> String {
        switch measure {
        case .errorRate: Ratio(value).description
        case .p99Latency, .p99TimeToFirstToken, .p99TimeToFirstByte: TimeSpan(milliseconds: Int64((value * 1000).rounded())).description
        }
    }
}
