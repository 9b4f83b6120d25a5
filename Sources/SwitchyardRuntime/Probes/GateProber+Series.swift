import Foundation
import SwitchyardCore

extension GateProber {
    /// Checks, before traffic moves, that every instance of the slot exposes the series the metric
    /// gates among `gates` will read (by the gate's names, or the target's). One line per problem, naming
    /// the gate, what is missing, the instance, and what it does expose; empty when all is there.
    public func missingSeries(for gates: [GateDefinition], target: ProbeTarget) async -> [String] {
        var wanted: [GatewayMetricNames: (gates: [String], measures: Set<MetricCheck.Measure>)] = [:]
        var problems: [String] = []
        for gate in gates {
            guard case .metric(let check) = gate.probe else { continue }
            switch check.source {
            case .metrics: break
            case .loadBalancer:
                if let path = target.accessLog {
                    if !FileManager.default.isReadableFile(atPath: path) {
                        problems.append("gate \(gate.name) reads the load balancer's access log \(path), which cannot be read")
                    }
                } else {
                    problems.append("gate \(gate.name) reads the load balancer's access log, which this release does not know")
                }
                continue
            }
            let names = check.names ?? target.metricNames
            wanted[names, default: ([], [])].gates.append(gate.name)
            wanted[names, default: ([], [])].measures.insert(check.measure)
        }
        if wanted.isEmpty { return problems }
        for instance in target.instances {
            let exposition: PrometheusExposition
            do {
                let answer = try await ProbeHTTP.fetch(client, url: target.url(instance, target.metricsPath), timeout: .seconds(5))
                guard answer.status == 200 else {
                    problems.append("\(target.metricsPath) on \(instance) answered \(answer.status)")
                    continue
                }
                exposition = try PrometheusExposition.parse(answer.body)
            } catch {
                let reason = (error as? PrometheusParseError).map(\.description) ?? ProbeHTTP.reason(error)
                problems.append("cannot read \(target.metricsPath) on \(instance): \(reason)")
                continue
            }
            for (names, want) in wanted.sorted(by: { $0.value.gates.first ?? "" < $1.value.gates.first ?? "" }) {
                let missing = MetricSeriesCheck.problems(exposition, names: names, measures: want.measures)
                guard !missing.isEmpty else { continue }
                problems.append("gate \(want.gates.joined(separator: ", ")): \(missing.joined(separator: "; ")) on \(instance); it exposes: \(MetricSeriesCheck.families(exposition))")
            }
        }
        return problems
    }
}
