extension GatewayMetricNames {
    /// `metricNames:` of a service or a metric gate: a preset, then any name that differs.
    ///
    /// ```yaml
    /// metricNames:
    ///   preset: prometheus            # reference (default), prometheus, promhttp, gin
    ///   requests: http_requests_total
    ///   statusLabel: status           # codes (500) or classes (5xx)
    ///   route: {label: route, value: /v1/chat/completions}   # or none
    ///   requestDuration: http_request_duration_seconds      # or none
    ///   timeToFirstToken: none
    /// ```
    static func decode(_ field: Field) -> GatewayMetricNames? {
        if case .scalar = field.node {
            // `metricNames: gin` is a preset alone.
            return field.oneOf(Preset.self).map { GatewayMetricNames(preset: $0) }
        }
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let preset = map.optional("preset")?.oneOf(Preset.self) ?? .reference
        var names = GatewayMetricNames(preset: preset)
        if let requests = metricName(map.optional("requests")) { names.requests = requests }
        if let label = labelName(map.optional("statusLabel")) { names.statusLabel = label }
        if let routeField = map.optional("route") { names.route = route(routeField, preset: names) }
        if let field = map.optional("requestDuration") { names.requestDuration = optionalMetricName(field) }
        if let field = map.optional("timeToFirstToken") { names.timeToFirstToken = optionalMetricName(field) }
        return names
    }

    /// `none` drops the filter; a string is the value of label `route`; a mapping names the label too.
    private static func route(_ field: Field, preset names: GatewayMetricNames) -> RouteFilter? {
        if case .scalar(let text, _, _) = field.node {
            if text == "none" { return nil }
            guard let value = field.nonEmptyString() else { return names.route }
            return RouteFilter(label: names.route?.label ?? "route", value: value)
        }
        guard let map = field.mapping() else { return names.route }
        defer { map.finish() }
        let label = labelName(map.required("label", hint: "the label holding the route or handler, e.g. route or handler"))
        let value = map.required("value", hint: "the route whose requests count, e.g. /v1/chat/completions")?.nonEmptyString()
        guard let label, let value else { return names.route }
        return RouteFilter(label: label, value: value)
    }

    private static func optionalMetricName(_ field: Field) -> String? {
        if case .scalar("none", _, _) = field.node { return nil }
        return metricName(field)
    }

    /// A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func metricName(_ field: Field?) -> String? {
        guard let field, let text = field.nonEmptyString() else { return nil }
        guard isName(text, colons: true) else {
            field.error("must be a Prometheus metric name (letters, digits, '_' and ':', not starting with a digit), got \"\(text)\"")
            return nil
        }
        return text
    }

    /// A Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func labelName(_ field: Field?) -> String? {
        guard let field, let text = field.nonEmptyString() else { return nil }
        guard isName(text, colons: false) else {
            field.error("must be a Prometheus label name (letters, digits and '_', not starting with a digit), got \"\(text)\"")
            return nil
        }
        return text
    }

    private static func isName(_ text: String, colons: Bool) -> Bool {
        guard let first = text.first, !first.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || (colons && $0 == ":")) }
    }
}
