/// A YAML value with the place it came from. Switchyard's own tree, so that nothing past
/// the loader depends on the YAML library, and so that every value can be located.
public indirect enum YAMLNode: Sendable {
    case scalar(String, SourceLocation, quoted: Bool)
    case mapping([(key: String, keyLocation: SourceLocation, value: YAMLNode)], SourceLocation)
    case sequence([YAMLNode], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, let location, _), .mapping(_, let location), .sequence(_, let location):
            return location
        }
    }

    /// What a person would call this value in an error: "a string", "a list", "a mapping".
    public var kindDescription: String {
        switch self {
        case .scalar(let text, _, let quoted):
            if quoted { return "a string" }
            if text.isEmpty || text == "~" || text == "null" { return "nothing" }
            if Int(text) != nil { return "the number \(text)" }
            if Double(text) != nil { return "the number \(text)" }
            if ["true", "false", "yes", "no"].contains(text.lowercased()) { return "the boolean \(text)" }
            return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// True for an empty or `null` scalar, as YAML writes a missing value.
    var isNull: Bool {
        if case .scalar(let text, _, let quoted) = self, !quoted {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }
}
