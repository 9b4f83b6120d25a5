/// Decodes YAML documents into manifests, reporting every problem with its place and field path.
public enum ManifestDecoder {
    /// Decodes one file's bytes: its manifests, and every problem found (all of them, not the first only).
    public static func decode(bytes: [UInt8], file: String) -> DecodedFile {
        switch ManifestSource.documents(bytes: bytes, file: file) {
        case .failure(let diagnostic):
            return DecodedFile(diagnostics: [diagnostic])
        case .success(let documents):
            var result = DecodedFile()
            for document in documents {
                let (manifest, references, problems) = decode(document: document)
                result.diagnostics += problems
                if let manifest, problems.isEmpty { result.manifests.append(manifest) } else { result.references += references }
            }
            return result
        }
    }

    public static func decode(text: String, file: String) -> DecodedFile {
        decode(bytes: Array(text.utf8), file: file)
    }

    static func decode(document: YAMLNode) -> (LoadedManifest?, [ManifestReference], [ManifestDiagnostic]) {
        let sink = DiagnosticSink()
        let context = DecodingContext(sink: sink)
        let root = Field(node: document, path: "", sink: sink)
        guard let map = root.mapping() else { return (nil, [], sink.diagnostics) }
        if let version = map.required("apiVersion", hint: "write apiVersion: \(Manifest.apiVersion)")?.string(), version != Manifest.apiVersion {
            map.optional("apiVersion")?.error("expected \(Manifest.apiVersion), got \"\(version)\"")
        }
        let kind = map.required("kind", hint: "one of \(Manifest.Kind.allCases.map(\.rawValue).joined(separator: ", "))")?.oneOf(Manifest.Kind.self)
        let manifest: Manifest?
        switch kind {
        case .topology: manifest = Topology.decode(map, context).map(Manifest.topology)
        case .releasePlaybook: manifest = ReleasePlaybook.decode(map, context).map(Manifest.releasePlaybook)
        case .drillPlaybook: manifest = DrillPlaybook.decode(map, context).map(Manifest.drillPlaybook)
        case .capacityPlan: manifest = CapacityPlan.decode(map, context).map(Manifest.capacityPlan)
        case nil:
            map.accept(contentsOf: map.pairs.map(\.key))
            manifest = nil
        }
        map.finish()
        guard let manifest else { return (nil, context.references, sink.diagnostics) }
        return (LoadedManifest(manifest: manifest, location: document.location, references: context.references), context.references, sink.diagnostics)
    }
}

/// What one file decoded into: its valid manifests, the names used by its invalid ones (still
/// checked, so that one run reports every problem), and its problems.
public struct DecodedFile: Sendable {
    public var manifests: [LoadedManifest] = []
    public var references: [ManifestReference] = []
    public var diagnostics: [ManifestDiagnostic] = []

    public init(manifests: [LoadedManifest] = [], references: [ManifestReference] = [], diagnostics: [ManifestDiagnostic] = []) {
        self.manifests = manifests
        self.references = references
        self.diagnostics = diagnostics
    }
}

/// What a kind's decoder needs besides the YAML: the sink and the list of references it makes.
final class DecodingContext {
    let sink: DiagnosticSink
    private(set) var references: [ManifestReference] = []

    init(sink: DiagnosticSink) { self.sink = sink }

    /// Reads a name that must exist elsewhere, and remembers it for the manifest set to check.
    func reference(_ field: Field?, to target: ManifestReference.Target) -> String? {
        guard let field, let name = field.name() else { return nil }
        references.append(ManifestReference(target: target, name: name, location: field.location, path: field.path))
        return name
    }
}

extension MappingReader {
    func accept(contentsOf keys: [String]) { for key in keys { accept(key) } }
}
