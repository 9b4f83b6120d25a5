import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// The manifests the daemon serves and releases from, read once at start from `<directory>/topologies` and
/// `<directory>/playbooks`.
public struct ManifestCatalog: Sendable {
    public var set: ManifestSet
    /// Absolute, so releases do not depend on the daemon's working directory.
    public var directory: String

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var diagnostics: [ManifestDiagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// Fails with every located error when any manifest is invalid; a missing folder is simply empty.
    public static func load(directory: String) throws(Invalid) -> ManifestCatalog {
        let base = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
        let paths = ManifestLoader.defaultPaths.map { "\(base)/\($0)" }.filter { FileManager.default.fileExists(atPath: $0) }
        let result = ManifestLoader.load(paths: paths)
        guard result.isValid else { throw Invalid(diagnostics: result.diagnostics) }
        return ManifestCatalog(set: result.set, directory: base)
    }

    public init(set: ManifestSet, directory: String) {
        self.set = set
        self.directory = directory
    }

    /// The release playbook for a service (in one topology when named) and its topology.
    func release(service: String, topology: String?) throws(APIError) -> (Topology, ReleasePlaybook) {
        let playbooks = set.releasePlaybooks.filter { $0.service == service && (topology == nil || $0.topology == topology) }
        guard let playbook = playbooks.first else {
            let known = set.topologies.contains { $0.service(named: service) != nil }
            throw APIError(.unprocessableContent, code: known ? "no-playbook" : "unknown-service",
                           message: known ? "no ReleasePlaybook releases \(service)\(topology.map { " in topology \($0)" } ?? ""); add one to playbooks/"
                                          : "no topology has a service \(service); GET /v1/topologies lists them",
                           details: ["service": service])
        }
        guard playbooks.count == 1 else {
            throw APIError(.unprocessableContent, code: "ambiguous-playbook",
                           message: "several ReleasePlaybooks release \(service) (\(playbooks.map(\.name).joined(separator: ", "))); name the topology",
                           details: ["service": service])
        }
        guard let found = set.topology(named: playbook.topology) else {
            throw APIError(.unprocessableContent, code: "unknown-topology", message: "topology \(playbook.topology) of playbook \(playbook.name) is not loaded",
                           details: ["topology": playbook.topology])
        }
        return (found, playbook)
    }
}
