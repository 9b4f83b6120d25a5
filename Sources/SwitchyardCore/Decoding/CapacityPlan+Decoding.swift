extension CapacityPlan {
    static func decode(_ map: MappingReader, _ context: DecodingContext) -> CapacityPlan? {
        let name = map.required("name")?.name()
        let description = map.optional("description")?.string()
        let topology = context.reference(map.required("topology"), to: .topology)
        let service = context.reference(map.required("service"), to: .service(topology: topology ?? ""))
        let history = map.required("history", hint: "csv: FILE, prometheus: URL with query, or synthetic: {seed, years}")?
            .mapping().flatMap { HistorySource.decode($0) }
        let events = map.optional("events")?.list { PastEvent.decode($0) } ?? []
        if let field = map.optional("events") { Topology.checkUnique(field, names: events.map(\.name), what: "event") }
        let target = map.required("target", hint: "the coming event: name, start, end")?.mapping().flatMap { TargetEvent.decode($0, events: events) }
        let headroom = map.optional("headroom")?.ratio() ?? .percent(20)
        let utilisationField = map.optional("targetUtilisation")
        let utilisation = utilisationField?.ratio() ?? .percent(70)
        if utilisation.value <= 0 { utilisationField?.error("must be above 0%") }
        let survive = map.optional("surviveZoneLoss")?.bool() ?? true
        let perInstance = map.optional("perInstanceQPS")?.double(min: 0.001)
        guard let name, let topology, let service, let history, let target, utilisation.value > 0 else { return nil }
        return CapacityPlan(name: name, description: description, topology: topology, service: service, history: history,
                            events: events, target: target, headroom: headroom, targetUtilisation: utilisation,
                            surviveZoneLoss: survive, perInstanceQPS: perInstance)
    }
}

extension HistorySource {
    static func decode(_ map: MappingReader) -> HistorySource? {
        defer { map.finish() }
        let sources = ["csv", "prometheus", "synthetic"].filter { map.has($0) }
        if sources.count > 1 {
            map.optional(sources[1])?.error("history takes one source; \(sources.joined(separator: " and ")) are both given")
            map.accept("csv", "prometheus", "synthetic", "query", "since", "step")
            return nil
        }
        if let path = map.optional("csv")?.nonEmptyString() { return .csv(path: path) }
        if let urlField = map.optional("prometheus") {
            let url = urlField.httpURL()
            let query = map.required("query", hint: "a PromQL expression for the service's request rate")?.nonEmptyString()
            let since = map.optional("since")?.timeSpan(min: .hours(1)) ?? .hours(24 * 365)
            let step = map.optional("step")?.timeSpan(min: .seconds(1)) ?? .minutes(5)
            guard let url, let query else { return nil }
            return .prometheus(url: url, query: query, since: since, step: step)
        }
        if let synthetic = map.optional("synthetic")?.mapping() {
            defer { synthetic.finish() }
            let seed = synthetic.optional("seed")?.int() ?? 1
            let years = synthetic.optional("years")?.int(min: 1, max: 5) ?? 2
            return .synthetic(seed: seed, years: years)
        }
        map.accept("query", "since", "step")
        map.required("csv", hint: "history needs a source: csv, prometheus or synthetic")
        return nil
    }
}

extension PastEvent {
    static func decode(_ field: Field) -> PastEvent? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let (start, end) = dateRange(map)
        let before = map.optional("daysBefore")?.int(min: 0, max: 30) ?? 1
        let after = map.optional("daysAfter")?.int(min: 0, max: 30) ?? 1
        guard let name, let start, let end else { return nil }
        return PastEvent(name: name, start: start, end: end, daysBefore: before, daysAfter: after)
    }
}

extension TargetEvent {
    static func decode(_ map: MappingReader, events: [PastEvent]) -> TargetEvent? {
        defer { map.finish() }
        let name = map.required("name")?.name()
        let (start, end) = dateRange(map)
        let multiplier = map.optional("multiplier")?.double(min: 0.01, max: 1000)
        let like = map.optional("like")?.list { item -> String? in
            guard let event = item.name() else { return nil }
            if !events.contains(where: { $0.name == event }) { item.error(unknownName(event, "event", events.map(\.name))); return nil }
            return event
        } ?? []
        if events.isEmpty, multiplier == nil, !map.has("multiplier") {
            map.required("multiplier", hint: "with no past events to learn from, say how many times the ordinary level the event brings (e.g. 5)")
        }
        guard let name, let start, let end else { return nil }
        return TargetEvent(name: name, start: start, end: end, multiplier: multiplier, like: like)
    }
}

/// `start` and `end` dates (end defaults to start), end not before start.
private func dateRange(_ map: MappingReader) -> (LocalDateTime?, LocalDateTime?) {
    func date(_ field: Field?) -> LocalDateTime? {
        guard let field, let text = field.string() else { return nil }
        guard let value = LocalDateTime(parsing: text) else { field.expected("a date such as 2026-11-11"); return nil }
        return value
    }
    let start = date(map.required("start"))
    let endField = map.optional("end")
    let end = endField == nil ? start : date(endField)
    if let start, let end, end < start { endField?.error("must not be before start (\(start)), got \(end)"); return (start, nil) }
    return (start, end)
}
