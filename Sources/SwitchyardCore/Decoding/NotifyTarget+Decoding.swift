extension NotifyTarget {
    /// A `notify:` list: targets with unique names.
    static func decodeList(_ field: Field?) -> [NotifyTarget]? {
        guard let field else { return [] }
        let targets = field.list { decode($0) }
        if let targets { Topology.checkUnique(field, names: targets.map(\.name), what: "notify target") }
        return targets
    }

    static func decode(_ field: Field) -> NotifyTarget? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let format = map.optional("format")?.oneOf(Format.self) ?? .webhook
        let sources = ["url", "urlFromEnv", "urlFile"].filter { map.has($0) }
        var address: Address?
        if sources.count > 1 {
            map.optional(sources[1])?.error("give one of url, urlFromEnv and urlFile, not \(sources.joined(separator: " and "))")
            _ = sources.map { map.optional($0) }
        } else if let urlField = map.optional("url") {
            if let url = urlField.httpURL() { address = .url(url) }
        } else if let envField = map.optional("urlFromEnv") {
            if let variable = envField.nonEmptyString() {
                if variable.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !(variable.first?.isNumber ?? true) {
                    address = .environment(variable)
                } else {
                    envField.error("must be an environment variable's name (letters, digits, _), got \"\(variable)\"")
                }
            }
        } else if let fileField = map.optional("urlFile") {
            if let path = fileField.nonEmptyString() {
                if path.hasPrefix("/") { address = .file(path) } else { fileField.error("must be an absolute path, got \"\(path)\"") }
            }
        } else {
            map.required("url", hint: "or urlFromEnv (an environment variable) or urlFile (a file), for an address that is a secret")
        }
        let events = map.optional("events")?.list { $0.oneOf(NotificationEvent.self) } ?? []
        guard let name, let address else { return nil }
        return NotifyTarget(name: name, format: format, address: address, events: events)
    }
}
