/// Whether one instance's metrics carry the series that metric gates with these names will read, checked
/// before traffic moves: a gate that reads a name the gateway does not expose would only ever say "no data".
/// A family counts as exposed when it has samples or a `# TYPE` line (client libraries declare a labelled
/// counter before its first increment).
public enum MetricSeriesCheck {
    /// What is missing for `measures`, one line each; empty when everything is there.
    public static func problems(_ exposition: PrometheusExposition, names: GatewayMetricNames, measures: Set<MetricCheck.Measure>) -> [String] {
        var problems: [String] = []
        for measure in MetricCheck.Measure.allCases where measures.contains(measure) {
            switch measure {
            case .errorRate:
                problems += counterProblems(exposition, names)
            case .p99Latency, .p99TimeToFirstToken:
                guard let name = names.histogram(for: measure) else {
                    let field = measure == .p99Latency ? "requestDuration" : "timeToFirstToken"
                    problems.append("\(measure.rawValue) reads a histogram, but the metric names (preset \(names.preset.rawValue)) name none; set metricNames.\(field)")
                    continue
                }
                problems += histogramProblems(exposition, name)
            case .p99TimeToFirstByte:
                problems.append("p99-ttfb is measured by the load balancer, not read from the instances' metrics; set source: loadBalancer")
            }
        }
        return problems
    }

    static func counterProblems(_ exposition: PrometheusExposition, _ names: GatewayMetricNames) -> [String] {
        let samples = exposition.samples(named: names.requests)
        if samples.isEmpty {
            return exposition.types[names.requests] == nil ? ["no series \(names.requests)"] : []
        }
        if !samples.contains(where: { $0.labels[names.statusLabel] != nil }) {
            let labels = Set(samples.flatMap(\.labels.keys)).sorted()
            return ["series \(names.requests) has no label \(names.statusLabel) (its labels: \(labels.isEmpty ? "none" : labels.joined(separator: ", "))); set metricNames.statusLabel"]
        }
        return []
    }

    static func histogramProblems(_ exposition: PrometheusExposition, _ name: String) -> [String] {
        if exposition.types[name] == .summary { return ["\(name) is a summary, not a histogram: a p99 over a window needs buckets"] }
        if !exposition.samples(named: name + "_bucket").isEmpty { return [] }
        let declared = exposition.types[name] == .histogram
        let hasOtherSeries = !exposition.samples(named: name).isEmpty || !exposition.samples(named: name + "_count").isEmpty
        if hasOtherSeries { return ["histogram \(name) has no buckets (no \(name)_bucket series with le)"] }
        return declared ? [] : ["no series \(name)_bucket"]
    }

    /// The metric families an exposition holds, by name (histogram series folded into their family), for a message.
    public static func families(_ exposition: PrometheusExposition, limit: Int = 12) -> String {
        var names = Set(exposition.types.keys)
        for sample in exposition.samples {
            var name = sample.name
            for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if exposition.types[base] != nil { name = base }
            }
            names.insert(name)
        }
        let sorted = names.sorted()
        if sorted.isEmpty { return "nothing" }
        return sorted.prefix(limit).joined(separator: ", ") + (sorted.count > limit ? ", … (\(sorted.count) in all)" : "")
    }
}
