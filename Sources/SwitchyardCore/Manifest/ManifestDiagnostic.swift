/// One problem found in a manifest, located so that a person can go and fix it:
/// `topologies/prod.yaml:14:7: services[0].replicasPerZone: must be at least 1, got 0`.
public struct ManifestDiagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    /// The field path inside the document, such as `spec.services[0].replicasPerZone`; empty for the whole file.
    public var path: String
    public var message: String

    public init(location: SourceLocation, path: String, message: String) {
        self.location = location
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// All the problems found in one run, in file and line order.
public struct ManifestErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ManifestDiagnostic]

    public init(_ diagnostics: [ManifestDiagnostic]) {
        self.diagnostics = diagnostics.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column)
        }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
