import Foundation

/// Collects every problem of one decoding run, so a file's errors are all reported together.
final class DiagnosticSink {
    private(set) var diagnostics: [ManifestDiagnostic] = []

    func report(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(ManifestDiagnostic(location: location, path: path, message: message))
    }
}

/// A YAML value at a field path, with typed accessors that report what was expected
/// and return nil when the value is wrong, so that decoding goes on and finds the rest.
struct Field {
    let node: YAMLNode
    let path: String
    let sink: DiagnosticSink

    var location: SourceLocation { node.location }

    func error(_ message: String) { sink.report(node.location, path, message) }

    func expected(_ what: String) { error("expected \(what), got \(node.kindDescription)") }

    private var scalarText: String? {
        if case .scalar(let text, _, _) = node, !node.isNull { return text }
        return nil
    }

    func string() -> String? {
        guard let text = scalarText else { expected("a string"); return nil }
        return text
    }

    func nonEmptyString() -> String? {
        guard let text = string() else { return nil }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { error("must not be empty"); return nil }
        return text
    }

    /// A name as used for zones, services and the like: letters, digits, `-`, `_` and `.`.
    func name() -> String? {
        guard let text = nonEmptyString() else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }), text.count <= 63 else {
            error("must be a name of at most 63 letters, digits, '-', '_' or '.', got \"\(text)\"")
            return nil
        }
        return text
    }

    /// A host name or address that is pasted into configuration files and command lines: a DNS name
    /// (letters, digits, `-`, `.`, at most 253), an IPv4 address, or an IPv6 address (hex digits and `:`).
    func host() -> String? {
        guard let text = nonEmptyString() else { return nil }
        guard HostPort.isSafeHost(text) else {
            error("must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address), got \(Self.quoted(text))")
            return nil
        }
        return text
    }

    /// An `http://` or `https://` URL with a host: a webhook, a Prometheus server, a failover manager's API.
    func httpURL() -> String? {
        guard let text = nonEmptyString() else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), let host = URL(string: text)?.host, !host.isEmpty else {
            error("must be an http:// or https:// URL, got \(Self.quoted(text))")
            return nil
        }
        return text
    }

    /// A file system path that is written into configuration files (nginx's prefix, a state folder): printable
    /// characters without `;`, `{`, `}`, `#`, quotes, `$`, `\\` or white space, at most 1024 bytes.
    func filePath() -> String? {
        guard let text = nonEmptyString() else { return nil }
        guard ManifestPath.isSafe(text) else {
            error("must be a path without white space, control characters or any of ; { } # \" ' $ \\ (they would change the configuration it is written into), got \(Self.quoted(text))")
            return nil
        }
        return text
    }

    /// `text` in double quotes with control characters escaped, so a diagnostic stays on one line.
    static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "\""
    }

    func int(min: Int? = nil, max: Int? = nil) -> Int? {
        guard let text = scalarText, case .scalar(_, _, false) = node, let value = Int(text) else { expected("a whole number"); return nil }
        return checkRange(value, min: min, max: max)
    }

    func double(min: Double? = nil, max: Double? = nil) -> Double? {
        guard let text = scalarText, case .scalar(_, _, false) = node, let value = Double(text), value.isFinite else { expected("a number"); return nil }
        return checkRange(value, min: min, max: max)
    }

    private func checkRange<T: Comparable>(_ value: T, min: T?, max: T?) -> T? {
        if let min, value < min { error("must be at least \(min), got \(value)"); return nil }
        if let max, value > max { error("must be at most \(max), got \(value)"); return nil }
        return value
    }

    func bool() -> Bool? {
        switch scalarText?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: expected("true or false"); return nil
        }
    }

    func timeSpan(min: TimeSpan? = nil, max: TimeSpan? = nil) -> TimeSpan? {
        guard let text = scalarText, let value = TimeSpan(parsing: text) else {
            expected("a duration such as 150ms, 30s, 10m or 1h")
            return nil
        }
        if let min, value < min { error("must be at least \(min), got \(value)"); return nil }
        if let max, value > max { error("must be at most \(max), got \(value)"); return nil }
        return value
    }

    func ratio() -> Ratio? {
        guard let text = scalarText, let value = Ratio(parsing: text) else {
            expected("a ratio such as 0.05 or 5%")
            return nil
        }
        guard (0...1).contains(value.value) else { error("must be between 0% and 100%, got \(text)"); return nil }
        return value
    }

    func hostPort() -> HostPort? {
        guard let text = scalarText, let value = HostPort(parsing: text) else {
            expected("an address such as 127.0.0.1:8080")
            return nil
        }
        guard HostPort.isSafeHost(value.host) else {
            error("the host of \(Self.quoted(text)) must be a host name or an IP address (letters, digits, '-', '.', or an IPv6 address)")
            return nil
        }
        return value
    }

    /// One of a fixed set of words, with a suggestion when it is close to one.
    func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> E? where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        guard let text = scalarText else { expected("one of \(allowed.joined(separator: ", "))"); return nil }
        if let value = E(rawValue: text) { return value }
        let hint = Suggestion.closest(to: text, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
        error("expected one of \(allowed.joined(separator: ", ")), got \"\(text)\"\(hint)")
        return nil
    }

    /// The mapping, without reporting anything when the value is not one (for second looks).
    var asMapping: MappingReader? {
        guard case .mapping(let pairs, _) = node else { return nil }
        return MappingReader(pairs: pairs, field: self)
    }

    /// The list items, without reporting anything when the value is not a list (for second looks).
    var asList: [Field]? {
        guard case .sequence(let items, _) = node else { return nil }
        return items.enumerated().map { Field(node: $0.element, path: "\(path)[\($0.offset)]", sink: sink) }
    }

    func mapping() -> MappingReader? {
        guard case .mapping(let pairs, _) = node else { expected("a mapping"); return nil }
        return MappingReader(pairs: pairs, field: self)
    }

    /// The items of a list; a single value where a list was expected is an error.
    func list() -> [Field]? {
        guard case .sequence(let items, _) = node else { expected("a list"); return nil }
        return items.enumerated().map { Field(node: $0.element, path: "\(path)[\($0.offset)]", sink: sink) }
    }

    func list<T>(_ transform: (Field) -> T?) -> [T]? {
        guard let items = list() else { return nil }
        let values = items.map(transform)
        return values.contains(where: { $0 == nil }) ? nil : values.map { $0! }
    }
}

/// Reads the keys of one mapping. Every key asked for is remembered; `finish()` reports
/// the keys nobody asked for, with a "did you mean" when one is close.
final class MappingReader {
    let pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)]
    let field: Field
    private var known: [String] = []

    init(pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)], field: Field) {
        self.pairs = pairs
        self.field = field
    }

    private func childPath(_ key: String) -> String { field.path.isEmpty ? key : "\(field.path).\(key)" }

    func has(_ key: String) -> Bool { pairs.contains { $0.key == key && !$0.value.isNull } }

    func optional(_ key: String) -> Field? {
        known.append(key)
        guard let pair = pairs.first(where: { $0.key == key }), !pair.value.isNull else { return nil }
        return Field(node: pair.value, path: childPath(key), sink: field.sink)
    }

    @discardableResult
    func required(_ key: String, hint: String? = nil) -> Field? {
        if let value = optional(key) { return value }
        let present = pairs.first(where: { $0.key == key })
        field.sink.report(present?.keyLocation ?? field.location, childPath(key), "is required\(hint.map { "; \($0)" } ?? "")")
        return nil
    }

    /// Marks keys as known without reading them (read elsewhere, or reserved).
    func accept(_ keys: String...) { known.append(contentsOf: keys) }

    func finish() {
        for pair in pairs where !known.contains(pair.key) {
            let hint = Suggestion.closest(to: pair.key, in: known).map { "; did you mean '\($0)'?" } ?? ""
            field.sink.report(pair.keyLocation, childPath(pair.key), "unknown key\(hint) (known keys: \(known.joined(separator: ", ")))")
        }
    }
}
