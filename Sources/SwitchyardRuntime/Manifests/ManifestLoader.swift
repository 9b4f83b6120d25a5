import Foundation
import SwitchyardCore

/// Reads manifest files and folders from disk into a checked `ManifestSet`.
public enum ManifestLoader {
    public struct Result: Sendable {
        public var set: ManifestSet
        public var diagnostics: [ManifestDiagnostic]
        /// The files that were read, in order.
        public var files: [String]

        public var isValid: Bool { diagnostics.isEmpty }
    }

    /// The folders read when no path is given.
    public static let defaultPaths = ["topologies", "playbooks"]

    /// Loads `paths` (files, or folders searched for `.yaml`/`.yml`), and `context` folders whose
    /// manifests resolve references but whose own problems are not reported.
    public static func load(paths: [String], context: [String] = []) -> Result {
        var diagnostics: [ManifestDiagnostic] = []
        var manifests: [LoadedManifest] = []
        var orphans: [ManifestReference] = []
        var files: [String] = []
        for path in paths {
            switch expand(path) {
            case .success(let found):
                files += found
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            }
        }
        files = unique(files)
        for file in files {
            let decoded = read(file)
            manifests += decoded.manifests
            orphans += decoded.references
            diagnostics += decoded.diagnostics
        }
        let contextFiles = unique(context.flatMap { (try? expand($0).get()) ?? [] }).filter { !files.contains($0) }
        for file in contextFiles { manifests += read(file).manifests }
        let set = ManifestSet(manifests)
        diagnostics += set.crossReferenceDiagnostics(reportingFiles: Set(files), orphanReferences: orphans)
        return Result(set: set, diagnostics: ManifestErrors(diagnostics).diagnostics, files: files)
    }

    /// One file: size checked before reading, so a 50 MB log is refused without loading it.
    public static func read(_ file: String) -> DecodedFile {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else {
            return DecodedFile(diagnostics: [ManifestDiagnostic(location: start, path: "", message: "cannot read file: no such file")])
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > ManifestSource.maximumBytes {
            return DecodedFile(diagnostics: [ManifestDiagnostic(location: start, path: "", message: "file is \(size) bytes; a manifest may be at most \(ManifestSource.maximumBytes) bytes (1 MiB)")])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return DecodedFile(diagnostics: [ManifestDiagnostic(location: start, path: "", message: "cannot read file (permissions?)")])
        }
        return ManifestDecoder.decode(bytes: [UInt8](data), file: file)
    }

    private static func expand(_ path: String) -> Swift.Result<[String], ManifestDiagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ManifestDiagnostic(location: SourceLocation(file: path, line: 1, column: 1), path: "", message: "no such file or folder"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let entries = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return .success(entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(base)/\($0)" })
    }

    private static func unique(_ files: [String]) -> [String] {
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }
}
