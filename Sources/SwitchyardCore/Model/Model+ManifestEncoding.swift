/// Encodings of the models with associated values, in the shape their manifests are written in,
/// so that a model encoded to YAML loads back into the same model, and `--json` reads like the file.

struct ManifestKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer where Key == ManifestKey {
    mutating func put<T: Encodable>(_ key: String, _ value: T?) throws {
        if let value { try encode(value, forKey: ManifestKey(key)) }
    }
}

extension GateDefinition {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        try c.put("name", name)
        try c.put("kind", probe.kind)
        switch probe {
        case .http(let check):
            try c.put("path", check.path)
            try c.put("method", check.method)
            try c.put("expectStatus", check.expectStatus)
            try c.put("bodyContains", check.bodyContains)
            try c.put("timeout", check.timeout)
        case .sse(let check):
            try c.put("path", check.path)
            try c.put("streams", check.streams)
            try c.put("firstEventWithin", check.firstEventWithin)
            try c.put("timeout", check.timeout)
        case .metric(let check):
            try c.put("measure", check.measure)
            if check.measure == .errorRate {
                try c.put("min", check.threshold.min.map(Ratio.init))
                try c.put("max", check.threshold.max.map(Ratio.init))
                try c.put("maxIncreaseOverBaseline", check.maxIncreaseOverBaseline.map(Ratio.init))
            } else {
                try c.put("min", check.threshold.min.map { TimeSpan(milliseconds: Int64(($0 * 1000).rounded())) })
                try c.put("max", check.threshold.max.map { TimeSpan(milliseconds: Int64(($0 * 1000).rounded())) })
                try c.put("maxIncreaseOverBaseline", check.maxIncreaseOverBaseline.map { TimeSpan(milliseconds: Int64(($0 * 1000).rounded())) })
            }
            try c.put("metricNames", check.names)
            try c.put("source", check.source)
            try c.put("path", check.path)
        case .prometheus(let check):
            try c.put("url", check.url)
            try c.put("query", check.query)
            try c.put("min", check.threshold.min)
            try c.put("max", check.threshold.max)
            try c.put("timeout", check.timeout)
            try c.put("onEmpty", check.onEmpty)
        }
        try c.put("failureLimit", failureLimit)
        try c.put("consecutiveFailureLimit", consecutiveFailureLimit)
        try c.put("consecutiveErrorLimit", consecutiveErrorLimit)
        try c.put("inconclusive", inconclusive)
    }
}

extension Blackout: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        switch self {
        case .range(let name, let from, let to):
            try c.put("name", name)
            try c.put("from", from)
            try c.put("to", to)
        case .weekly(let name, let days, let from, let to):
            try c.put("name", name)
            try c.put("days", days)
            try c.put("from", from)
            try c.put("to", to)
        }
    }
}

extension FaultSpec: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        try c.put("kind", kind)
        switch self {
        case .instanceKill(let service, let zone, let count):
            try c.put("service", service)
            try c.put("zone", zone)
            try c.put("count", count)
        case .zoneOutage(let zone, let mode):
            try c.put("zone", zone)
            try c.put("mode", mode)
        case .lbNodeKill(let loadBalancer, let node):
            try c.put("loadBalancer", loadBalancer)
            try c.put("node", node)
        case .exec(let command, let restore, let recoveryCheck, let datastore):
            try c.put("command", command)
            try c.put("restore", restore)
            try c.put("recoveryCheck", recoveryCheck)
            try c.put("datastore", datastore)
        case .dbPrimaryLoss(let datastore, let writesPerSecond, let mode):
            try c.put("datastore", datastore)
            try c.put("writesPerSecond", writesPerSecond)
            try c.put("mode", mode)
        }
    }
}

extension HistorySource: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        switch self {
        case .csv(let path):
            try c.put("csv", path)
        case .prometheus(let url, let query, let since, let step):
            try c.put("prometheus", url)
            try c.put("query", query)
            try c.put("since", since)
            try c.put("step", step)
        case .synthetic(let seed, let years):
            try c.put("synthetic", ["seed": seed, "years": years])
        }
    }
}

extension GateDefinition: Decodable {
    /// Reads the shape `encode(to:)` writes (the journal keeps plans this way). Manifests are read
    /// by the manifest decoder instead, which reports located errors.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: ManifestKey.self)
        func get<T: Decodable>(_ key: String, _ type: T.Type = T.self) throws -> T? { try c.decodeIfPresent(T.self, forKey: ManifestKey(key)) }
        func need<T: Decodable>(_ key: String, _ type: T.Type = T.self) throws -> T { try c.decode(T.self, forKey: ManifestKey(key)) }
        let kind: String = try need("kind")
        let probe: GateProbe
        switch kind {
        case "http":
            probe = .http(HTTPCheck(path: try need("path"), method: try get("method") ?? "GET", expectStatus: try get("expectStatus") ?? 200,
                                    bodyContains: try get("bodyContains"), timeout: try get("timeout") ?? .seconds(2)))
        case "sse":
            probe = .sse(SSECheck(path: try get("path") ?? "/v1/chat/completions", streams: try get("streams") ?? 5,
                                  firstEventWithin: try get("firstEventWithin") ?? .ms(500), timeout: try get("timeout") ?? .seconds(30)))
        case "metric":
            let measure: MetricCheck.Measure = try need("measure")
            func value(_ key: String) throws -> Double? {
                measure == .errorRate ? try get(key, Ratio.self)?.value : try get(key, TimeSpan.self)?.seconds
            }
            probe = .metric(MetricCheck(measure: measure, threshold: Threshold(min: try value("min"), max: try value("max")),
                                        maxIncreaseOverBaseline: try value("maxIncreaseOverBaseline"), names: try get("metricNames"),
                                        source: try get("source") ?? .metrics, path: try get("path")))
        case "prometheus":
            probe = .prometheus(PrometheusCheck(url: try need("url"), query: try need("query"),
                                                threshold: Threshold(min: try get("min"), max: try get("max")),
                                                timeout: try get("timeout") ?? .seconds(5), onEmpty: try get("onEmpty") ?? .inconclusive))
        default:
            throw DecodingError.dataCorruptedError(forKey: ManifestKey("kind"), in: c, debugDescription: "unknown gate kind \(kind)")
        }
        self.init(name: try need("name"), probe: probe, failureLimit: try get("failureLimit") ?? 0,
                  consecutiveFailureLimit: try get("consecutiveFailureLimit"), consecutiveErrorLimit: try get("consecutiveErrorLimit") ?? 3,
                  inconclusive: try get("inconclusive") ?? .ignore)
    }
}

extension LoadBalancer {
    /// The site nginx's files sit beside the other keys, as a manifest writes them.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        try c.put("name", name)
        try c.put("driver", driver)
        try c.put("listen", listen)
        try c.put("previewListen", previewListen)
        try c.put("directory", directory)
        try c.put("managed", managed)
        try c.put("reloadCommand", reloadCommand)
        try c.put("include", site.include)
        try c.put("config", site.config)
        try c.put("pidFile", site.pidFile)
        try c.put("drainTimeout", drainTimeout)
        try c.put("maxFails", maxFails)
        try c.put("failTimeout", failTimeout)
        try c.put("passiveHealth", passiveHealth)
        try c.put("clientKeepalive", clientKeepalive)
        if !nodes.isEmpty { try c.put("nodes", nodes) }
        try c.put("virtualAddress", virtualAddress)
    }
}
