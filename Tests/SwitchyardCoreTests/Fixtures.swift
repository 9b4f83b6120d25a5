import Foundation
@testable import SwitchyardCore

/// Test files: the fixtures folder shipped with the tests, and the repository's own examples.
enum Fixtures {
    static var folder: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    /// The repository root, found from this source file.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(relative)))
    }

    static func list(_ relative: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(relative).path).sorted()
    }

    /// The repository's example manifests, by path relative to the root.
    static func examples() throws -> [String] {
        try ["topologies", "playbooks"].flatMap { dir in
            try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent(dir).path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(dir)/\($0)" }
        }
    }

    static func exampleBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repository.appendingPathComponent(path)))
    }

    /// What `yard validate FILE` reports: the file's own problems and its cross-references,
    /// resolved against the example topologies.
    static func validate(bytes: [UInt8], file: String) -> [ManifestDiagnostic] {
        let decoded = ManifestDecoder.decode(bytes: bytes, file: file)
        var context: [LoadedManifest] = []
        for path in (try? examples()) ?? [] where path.hasPrefix("topologies/") && path != file {
            context += ManifestDecoder.decode(bytes: (try? exampleBytes(path)) ?? [], file: path).manifests
        }
        let set = ManifestSet(decoded.manifests + context)
        let cross = set.crossReferenceDiagnostics(reportingFiles: [file], orphanReferences: decoded.references)
        return ManifestErrors(decoded.diagnostics + cross).diagnostics
    }
}
