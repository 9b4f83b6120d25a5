import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// Where the CLI finds manifests and state: the working directory's topologies/, playbooks/ and .yard/.
enum Workspace {
    static let stateDirectory = ".yard"
    static var statePath: String { "\(stateDirectory)/state.sqlite" }
    static var logDirectory: String { "\(stateDirectory)/logs" }

    /// Every manifest in topologies/ and playbooks/; located errors end the command with status 1.
    static func manifests() throws -> ManifestSet {
        let paths = ManifestLoader.defaultPaths.filter { FileManager.default.fileExists(atPath: $0) }
        let result = ManifestLoader.load(paths: paths)
        if !result.isValid {
            for diagnostic in result.diagnostics { printError(diagnostic.description) }
            printError("fix the manifests above (yard validate shows them too)")
            throw ExitCode(1)
        }
        return result.set
    }

    /// The topology and release playbook for a service: named, or the only ones that fit.
    static func release(service: String, topology topologyName: String?, playbook playbookPath: String?) throws -> (Topology, ReleasePlaybook) {
        var set = try manifests()
        if let playbookPath {
            let result = ManifestLoader.load(paths: [playbookPath], context: ManifestLoader.defaultPaths)
            if !result.isValid {
                for diagnostic in result.diagnostics { printError(diagnostic.description) }
                throw ExitCode(1)
            }
            set = result.set
        }
        let playbooks = set.releasePlaybooks.filter { $0.service == service && (topologyName == nil || $0.topology == topologyName) }
        guard let playbook = playbookPath.flatMap({ _ in playbooks.first }) ?? (playbooks.count == 1 ? playbooks.first : nil) else {
            if playbooks.isEmpty { throw ValidationError("no ReleasePlaybook for service \(service)\(topologyName.map { " in topology \($0)" } ?? ""); add one to playbooks/ or pass --playbook") }
            throw ValidationError("several ReleasePlaybooks release \(service) (\(playbooks.map(\.name).joined(separator: ", "))); pick one with --playbook or --topology")
        }
        guard let topology = set.topology(named: playbook.topology) else { throw ValidationError("topology \(playbook.topology) not found in topologies/") }
        return (topology, playbook)
    }

    static func store() throws -> SQLiteStateStore {
        do { return try SQLiteStateStore(path: statePath) } catch { throw ValidationError("\(error)") }
    }

    static func context(topology: Topology, playbook: ReleasePlaybook, store: SQLiteStateStore, environment: [String: String] = [:]) throws -> ReleaseContext {
        try ReleaseContext.processes(topology: topology, playbook: playbook, store: store,
                                     workingDirectory: FileManager.default.currentDirectoryPath, logDirectory: logDirectory,
                                     actor: AuditTrail.localActor, environment: environment)
    }
}
