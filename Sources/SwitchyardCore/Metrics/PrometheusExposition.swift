/// One sample line of the Prometheus text exposition format: `name{label="value",…} value [timestamp]`.
public struct PrometheusSample: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]
    public var value: Double
    /// Milliseconds since the epoch, when the line carries one.
    public var timestamp: Int64?

    public init(name: String, labels: [String: String] = [:], value: Double, timestamp: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Whether every label in `matching` is present with that value.
    public func matches(_ matching: [String: String]) -> Bool {
        matching.allSatisfy { labels[$0.key] == $0.value }
    }
}

/// The `# TYPE` of a metric family.
public enum PrometheusMetricType: String, Sendable, Hashable, Codable {
    case counter, gauge, histogram, summary, untyped
}

/// A parse failure, with the line it happened on (1-based) and what was expected there.
public struct PrometheusParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "metrics line \(line): \(message)" }
}

/// A parsed scrape: every sample, with the families' `# TYPE` and `# HELP`.
public struct PrometheusExposition: Sendable, Hashable {
    public var samples: [PrometheusSample]
    public var types: [String: PrometheusMetricType]
    public var help: [String: String]

    public init(samples: [PrometheusSample] = [], types: [String: PrometheusMetricType] = [:], help: [String: String] = [:]) {
        self.samples = samples
        self.types = types
        self.help = help
    }

    /// Samples of one series name whose labels include `matching`.
    public func samples(named name: String, matching: [String: String] = [:]) -> [PrometheusSample] {
        samples.filter { $0.name == name && $0.matches(matching) }
    }

    /// The sum over the matching series of `name`, or nil when there is none.
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double? {
        let found = samples(named: name, matching: matching)
        return found.isEmpty ? nil : found.reduce(0) { $0 + $1.value }
    }

    /// The histogram `name` (its `_bucket`, `_count` and `_sum` series) summed over the series whose
    /// labels include `matching`, bucket by bucket; nil when it has no bucket.
    public func histogram(_ name: String, matching: [String: String] = [:]) -> HistogramBuckets? {
        var byBound: [Double: Double] = [:]
        for sample in samples(named: name + "_bucket", matching: matching) {
            guard let text = sample.labels["le"], let bound = Self.parseValue(text) else { continue }
            byBound[bound, default: 0] += sample.value
        }
        guard !byBound.isEmpty else { return nil }
        let buckets = byBound.keys.sorted().map { HistogramBuckets.Bucket(upperBound: $0, cumulativeCount: byBound[$0]!) }
        let count = sum(name + "_count", matching: matching) ?? buckets.last!.cumulativeCount
        return HistogramBuckets(buckets: buckets, count: count, sum: sum(name + "_sum", matching: matching) ?? 0)
    }

    /// Parses the text exposition format (version 0.0.4).
    public static func parse(_ text: String) throws(PrometheusParseError) -> PrometheusExposition {
        var exposition = PrometheusExposition()
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                parseComment(line.dropFirst(), into: &exposition)
                continue
            }
            exposition.samples.append(try parseSample(line, line: number))
        }
        return exposition
    }

    /// `# TYPE name kind` and `# HELP name text`; any other comment is ignored.
    private static func parseComment(_ body: Substring, into exposition: inout PrometheusExposition) {
        let words = body.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { return }
        let name = String(words[1])
        switch words[0] {
        case "TYPE":
            if words.count == 3 { exposition.types[name] = PrometheusMetricType(rawValue: String(words[2]).trimmingSpaces) ?? .untyped }
        case "HELP":
            exposition.help[name] = words.count == 3 ? unescape(words[2], quotes: false) : ""
        default:
            break
        }
    }

    private static func parseSample(_ line: Substring, line number: Int) throws(PrometheusParseError) -> PrometheusSample {
        var rest = line
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty, !name.first!.isNumber else {
            throw PrometheusParseError(line: number, message: "expected a metric name, got '\(line.prefix(40))'")
        }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            labels = try parseLabels(&rest, line: number)
        }
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let valueText = fields.first else {
            throw PrometheusParseError(line: number, message: "\(name) has no value")
        }
        guard let value = parseValue(valueText) else {
            throw PrometheusParseError(line: number, message: "\(name): '\(valueText)' is not a number")
        }
        var timestamp: Int64?
        if fields.count > 1 {
            guard let stamp = Int64(fields[1]) else {
                throw PrometheusParseError(line: number, message: "\(name): '\(fields[1])' is not a timestamp in milliseconds")
            }
            timestamp = stamp
        }
        return PrometheusSample(name: String(name), labels: labels, value: value, timestamp: timestamp)
    }

    /// Reads `a="x",b="y"}`, leaving `rest` after the closing brace.
    private static func parseLabels(_ rest: inout Substring, line number: Int) throws(PrometheusParseError) -> [String: String] {
        var labels: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " }
            if rest.first == "}" { rest = rest.dropFirst(); return labels }
            let label = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !label.isEmpty else { throw PrometheusParseError(line: number, message: "expected a label name or '}'") }
            rest = rest.dropFirst(label.count).drop { $0 == " " }
            guard rest.first == "=" else { throw PrometheusParseError(line: number, message: "expected '=' after label \(label)") }
            rest = rest.dropFirst().drop { $0 == " " }
            guard rest.first == "\"" else { throw PrometheusParseError(line: number, message: "expected '\"' to open the value of label \(label)") }
            rest = rest.dropFirst()
            var value = ""
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\\" {
                    guard let escaped = rest.first else { break }
                    rest = rest.dropFirst()
                    switch escaped {
                    case "n": value.append("\n")
                    case "\\": value.append("\\")
                    case "\"": value.append("\"")
                    default: value.append("\\"); value.append(escaped)
                    }
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    value.append(character)
                }
            }
            guard closed else { throw PrometheusParseError(line: number, message: "the value of label \(label) is not closed with '\"'") }
            labels[String(label)] = value
            rest = rest.drop { $0 == " " }
            if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" {
                throw PrometheusParseError(line: number, message: "expected ',' or '}' after label \(label)")
            }
        }
    }

    /// A sample value: a float, `+Inf`, `-Inf` or `NaN`.
    public static func parseValue(_ text: some StringProtocol) -> Double? {
        switch text {
        case "+Inf", "Inf", "+inf", "inf": return .infinity
        case "-Inf", "-inf": return -.infinity
        case "NaN", "nan": return .nan
        default: return Double(String(text))
        }
    }

    private static func unescape(_ text: Substring, quotes: Bool) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else { out.append(character); continue }
            switch iterator.next() {
            case "n": out.append("\n")
            case "\\": out.append("\\")
            case "\"" where quotes: out.append("\"")
            case let other?: out.append("\\"); out.append(other)
            case nil: out.append("\\")
            }
        }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
