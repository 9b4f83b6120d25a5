extension ReleasePlaybook {
    static func decode(_ map: MappingReader, _ context: DecodingContext) -> ReleasePlaybook? {
        let name = map.required("name")?.name()
        let description = map.optional("description")?.string()
        let topology = context.reference(map.required("topology", hint: "the name of the Topology the service runs in"), to: .topology)
        let service = context.reference(map.required("service"), to: .service(topology: topology ?? ""))
        let waves = map.optional("waves")?.list { item -> [String]? in
            if case .sequence = item.node {
                let zones = item.list { context.reference($0, to: .zone(topology: topology ?? "")) }
                if let zones, zones.isEmpty { item.error("a wave must name at least one zone") }
                return zones
            }
            return context.reference(item, to: .zone(topology: topology ?? "")).map { [$0] }
        } ?? []
        if let field = map.optional("waves") {
            let all = waves.flatMap { $0 }
            if let repeated = all.first(where: { zone in all.filter { $0 == zone }.count > 1 }) {
                field.error("zone \"\(repeated)\" appears in more than one wave")
            }
        }
        let gates = map.required("gates", hint: "the gate definitions that preGates and bake.gates name")?.list { GateDefinition.decode($0) }
        let gateNames = gates?.map(\.name) ?? []
        if let field = map.optional("gates") { Topology.checkUnique(field, names: gateNames, what: "gate") }

        func gateList(_ field: Field?) -> [String]? {
            field?.list { item -> String? in
                guard let gate = item.name() else { return nil }
                if gates != nil, !gateNames.contains(gate) { item.error(unknownName(gate, "gate", gateNames)); return nil }
                return gate
            }
        }
        let preGates = gateList(map.optional("preGates")) ?? []
        var bake: Bake?
        if let bakeMap = map.required("bake", hint: "duration, interval and the gates sampled after the switch")?.mapping() {
            let duration = bakeMap.required("duration")?.timeSpan(min: .ms(0))
            let interval = bakeMap.optional("interval")?.timeSpan(min: .ms(100)) ?? .seconds(30)
            let bakeGates = gateList(bakeMap.optional("gates")) ?? []
            if let duration, interval > duration, duration.milliseconds > 0 {
                bakeMap.optional("interval")?.error("must not be longer than bake.duration (\(duration)), or no sample would be taken")
            }
            bakeMap.finish()
            if let duration { bake = Bake(duration: duration, interval: interval, gates: bakeGates) }
        }
        let scaleDownDelay = map.optional("scaleDownDelay")?.timeSpan(min: .ms(0)) ?? .seconds(30)
        let keepWarm = map.optional("keepWarm")?.bool() ?? false
        let promotion = map.optional("promotion")?.oneOf(Promotion.self) ?? .auto
        let notify = NotifyTarget.decodeList(map.optional("notify"))
        guard let name, let topology, let service, let gates, let bake, let notify else { return nil }
        var playbook = ReleasePlaybook(name: name, description: description, topology: topology, service: service, waves: waves,
                                       preGates: preGates, bake: bake, gates: gates, scaleDownDelay: scaleDownDelay,
                                       keepWarm: keepWarm, promotion: promotion)
        playbook.notify = notify
        return playbook
    }
}

extension GateDefinition {
    static func decode(_ field: Field) -> GateDefinition? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let kindField = map.required("kind", hint: "one of \(GateProbe.kinds.joined(separator: ", "))")
        var probe: GateProbe?
        if let kindField, let kind = kindField.string() {
            switch kind {
            case "http": probe = HTTPCheck.decode(map).map(GateProbe.http)
            case "sse": probe = SSECheck.decode(map).map(GateProbe.sse)
            case "metric": probe = MetricCheck.decode(map).map(GateProbe.metric)
            case "prometheus": probe = PrometheusCheck.decode(map).map(GateProbe.prometheus)
            default:
                let hint = Suggestion.closest(to: kind, in: GateProbe.kinds).map { " (did you mean '\($0)'?)" } ?? ""
                kindField.error("expected one of \(GateProbe.kinds.joined(separator: ", ")), got \"\(kind)\"\(hint)")
                map.accept(contentsOf: map.pairs.map(\.key))
            }
        }
        let failureLimit = map.optional("failureLimit")?.int(min: 0, max: 10_000) ?? 0
        let consecutiveFailureLimit = map.optional("consecutiveFailureLimit")?.int(min: 1, max: 10_000)
        let consecutiveErrorLimit = map.optional("consecutiveErrorLimit")?.int(min: 1, max: 10_000) ?? 3
        let inconclusive = map.optional("inconclusive")?.oneOf(Inconclusive.self) ?? .ignore
        guard let name, let probe else { return nil }
        return GateDefinition(name: name, probe: probe, failureLimit: failureLimit, consecutiveFailureLimit: consecutiveFailureLimit,
                              consecutiveErrorLimit: consecutiveErrorLimit, inconclusive: inconclusive)
    }
}

/// `min` above `max` admits no value: refused, at `min`.
func checkOrder(_ threshold: Threshold, _ map: MappingReader) -> Bool {
    guard let min = threshold.min, let max = threshold.max, min > max else { return true }
    map.optional("min")?.error("must not be greater than max (\(min.formatted6) > \(max.formatted6)): no value would pass")
    return false
}

/// A path field: must start with `/`.
func pathValue(_ field: Field?, default fallback: String) -> String {
    guard let field, let text = field.nonEmptyString() else { return fallback }
    if !text.hasPrefix("/") { field.error("must be a path starting with /, got \"\(text)\"") }
    return text
}

extension HTTPCheck {
    static func decode(_ map: MappingReader) -> HTTPCheck? {
        let path = pathValue(map.required("path"), default: "/")
        let method = map.optional("method")?.oneOf(HTTPMethodName.self)?.rawValue ?? "GET"
        let status = map.optional("expectStatus")?.int(min: 100, max: 599) ?? 200
        let body = map.optional("bodyContains")?.string()
        let timeout = map.optional("timeout")?.timeSpan(min: .ms(1)) ?? .seconds(2)
        return map.has("path") ? HTTPCheck(path: path, method: method, expectStatus: status, bodyContains: body, timeout: timeout) : nil
    }
}

enum HTTPMethodName: String, CaseIterable { case GET, HEAD, POST }

extension SSECheck {
    static func decode(_ map: MappingReader) -> SSECheck? {
        let path = pathValue(map.optional("path"), default: "/v1/chat/completions")
        let streams = map.optional("streams")?.int(min: 1, max: 10_000) ?? 5
        let first = map.optional("firstEventWithin")?.timeSpan(min: .ms(1)) ?? .ms(500)
        let timeout = map.optional("timeout")?.timeSpan(min: .ms(1)) ?? .seconds(30)
        return SSECheck(path: path, streams: streams, firstEventWithin: first, timeout: timeout)
    }
}

extension MetricCheck {
    static func decode(_ map: MappingReader) -> MetricCheck? {
        let measure = map.required("measure", hint: "one of \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")?.oneOf(Measure.self)
        func value(_ key: String) -> Double? {
            guard let field = map.optional(key), let measure else { return nil }
            switch measure {
            case .errorRate: return field.ratio()?.value
            case .p99Latency, .p99TimeToFirstToken, .p99TimeToFirstByte: return field.timeSpan()?.seconds
            }
        }
        let threshold = Threshold(min: value("min"), max: value("max"))
        let increase = value("maxIncreaseOverBaseline")
        let sourceField = map.optional("source")
        let source = sourceField?.oneOf(Source.self) ?? .metrics
        let names = map.optional("metricNames").flatMap(GatewayMetricNames.decode)
        let pathField = map.optional("path")
        let path = pathField.map { pathValue($0, default: "/") }
        guard let measure else { return nil }
        switch source {
        case .metrics:
            if let pathField {
                pathField.error("filters the load balancer's requests by path; with source: metrics, filter by route in metricNames.route")
                return nil
            }
        case .loadBalancer:
            if map.has("metricNames") {
                map.optional("metricNames")?.error("is not read with source: loadBalancer: the figures come from nginx's access log, not the instances' metrics")
                return nil
            }
        }
        if !measure.measurable(from: source) {
            let field = sourceField ?? map.required("measure")
            switch measure {
            case .p99TimeToFirstToken:
                field?.error("the load balancer sees bytes, not tokens: use measure p99-ttfb (time to the upstream's first byte), or source: metrics")
            case .p99TimeToFirstByte:
                field?.error("p99-ttfb is measured by the load balancer: set source: loadBalancer, or use p99-ttft from the instances' metrics")
            case .errorRate, .p99Latency:
                break
            }
            return nil
        }
        if threshold.min == nil, threshold.max == nil, increase == nil {
            map.required("max", hint: "a metric gate needs a bound: min, max or maxIncreaseOverBaseline")
            return nil
        }
        guard checkOrder(threshold, map) else { return nil }
        if let names, measure != .errorRate, names.histogram(for: measure) == nil {
            map.optional("metricNames")?.error("names no histogram for \(measure.rawValue) (preset \(names.preset.rawValue)); set \(measure == .p99Latency ? "requestDuration" : "timeToFirstToken")")
            return nil
        }
        return MetricCheck(measure: measure, threshold: threshold, maxIncreaseOverBaseline: increase, names: names, source: source, path: path)
    }
}

extension PrometheusCheck {
    static func decode(_ map: MappingReader) -> PrometheusCheck? {
        let urlField = map.required("url", hint: "the Prometheus server, e.g. http://127.0.0.1:9090")
        let url = urlField?.httpURL()
        let query = map.required("query", hint: "a PromQL expression that returns one number")?.nonEmptyString()
        let threshold = Threshold(min: map.optional("min")?.double(), max: map.optional("max")?.double())
        let timeout = map.optional("timeout")?.timeSpan(min: .ms(1)) ?? .seconds(5)
        let onEmpty = map.optional("onEmpty")?.oneOf(OnEmpty.self) ?? .inconclusive
        if threshold.min == nil, threshold.max == nil, !map.has("min"), !map.has("max") {
            map.required("max", hint: "a prometheus gate needs min or max")
        }
        guard let url, let query, threshold.min != nil || threshold.max != nil, checkOrder(threshold, map) else { return nil }
        return PrometheusCheck(url: url, query: query, threshold: threshold, timeout: timeout, onEmpty: onEmpty)
    }
}
