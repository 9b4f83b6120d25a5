/// Turns a measured figure into a measurement for a metric or Prometheus gate.
public enum MetricJudge {
    /// `value` nil means the figure could not be computed from what was there (no requests): inconclusive.
    public static func judge(_ check: MetricCheck, value: Double?, baseline: Double?, requests: Int? = nil) -> GateMeasurement {
        let label = check.measure.rawValue
        guard let value, !value.isNaN else { return .inconclusive("\(label): no data\(requests.map { " (\($0) requests)" } ?? "")") }
        guard value.isFinite else { return .fail("\(label) is \(value > 0 ? "+Inf" : "-Inf"), outside \(bounds(check.threshold, check.measure))") }
        let shown = format(value, check.measure)
        if !check.threshold.admits(value) {
            return .fail(value, "\(label) \(shown) is outside \(bounds(check.threshold, check.measure))")
        }
        if let allowed = check.maxIncreaseOverBaseline, let baseline, value - baseline > allowed {
            return .fail(value, "\(label) \(shown) is over the old slot's \(format(baseline, check.measure)) by more than \(format(allowed, check.measure))")
        }
        return .pass(value, "\(label) \(shown) within \(bounds(check.threshold, check.measure))")
    }

    /// `value` nil is an empty result, judged by the gate's `onEmpty`. NaN (0/0: a ratio over no
    /// traffic) is inconclusive and said as NaN; an infinity is out of any bounds. A figure that is not
    /// finite is kept in the message only (a measurement's value is stored as JSON).
    public static func judge(_ check: PrometheusCheck, value: Double?) -> GateMeasurement {
        guard let value else {
            let text = "query returned no series (onEmpty: \(check.onEmpty.rawValue))"
            switch check.onEmpty {
            case .pass: return .pass(text)
            case .fail: return .fail(text)
            case .inconclusive: return .inconclusive(text)
            }
        }
        if value.isNaN { return .inconclusive("query = NaN (0/0: no traffic in the window?)") }
        let shown = value.isInfinite ? (value > 0 ? "+Inf" : "-Inf") : value.formatted6
        let stored = value.isFinite ? value : nil
        return check.threshold.admits(value)
            ? .pass(stored, "query = \(shown), within \(bounds(check.threshold, nil))")
            : .fail(stored, "query = \(shown), outside \(bounds(check.threshold, nil))")
    }

    static func format(_ value: Double, _ measure: MetricCheck.Measure?) -> String {
        switch measure {
        case .errorRate: return Ratio(value).description
        case .p99Latency, .p99TimeToFirstToken, .p99TimeToFirstByte: return TimeSpan(milliseconds: Int64((value * 1000).rounded())).description
        case nil: return value.formatted6
        }
    }

    static func bounds(_ threshold: Threshold, _ measure: MetricCheck.Measure?) -> String {
        switch (threshold.min, threshold.max) {
        case let (min?, max?): return "[\(format(min, measure)), \(format(max, measure))]"
        case let (min?, nil): return "≥ \(format(min, measure))"
        case let (nil, max?): return "≤ \(format(max, measure))"
        case (nil, nil): return "any value"
        }
    }
}

extension Double {
    /// Up to six significant digits, no trailing noise.
    var formatted6: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        var text = String(format: "%.6g", self)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
