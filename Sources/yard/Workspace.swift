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
            throw CommandFailure("fix the manifests above (yard validate shows them too)", code: "invalid-manifests",
                                 details: result.diagnostics.map(\.description))
        }
        return result.set
    }

    /// The topology and release playbook for a service: named, or the only ones that fit.
    static func release(service: String, topology topologyName: String?, playbook playbookPath: String?) throws -> (Topology, ReleasePlaybook) {
        var set = try manifests()
        if let playbookPath {
            let result = ManifestLoader.load(paths: [playbookPath], context: ManifestLoader.defaultPaths)
            if !result.isValid {
                throw CommandFailure("fix \(playbookPath) (yard validate \(playbookPath) shows the same)", code: "invalid-manifests",
                                     details: result.diagnostics.map(\.description))
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

    /// Where the state is: `$YARD_STATE` when set (a `postgres://` URL, shared with the daemons, or an SQLite file's
    /// path), else `.yard/state.sqlite` here.
    static var stateLocation: String {
        if let location = ProcessInfo.processInfo.environment["YARD_STATE"], !location.isEmpty { return location }
        return statePath
    }

    /// The state store, an SQLite file created if it is missing: for commands that write (release, token create,
    /// drill run, up).
    static func store() async throws -> any StateStore {
        do { return try await StateLocation.open(stateLocation) } catch { throw stateFailure(error) }
    }

    /// The state store if there is one; nil in a folder with no state file yet. Read-only commands use it, so that
    /// looking (`release history`, `audit`, `token list`, `drill history`) never creates `.yard/state.sqlite`. A
    /// PostgreSQL store is always there (opening it migrates an empty database).
    static func existingStore() async throws -> (any StateStore)? {
        let location = stateLocation
        guard PostgresLocation.isPostgres(location) || FileManager.default.fileExists(atPath: location) else { return nil }
        return try await store()
    }

    /// The state store's error, with what to do about it.
    static func stateFailure(_ error: StateStoreError) -> CommandFailure {
        switch error {
        case .notADatabase, .newerSchema, .cannotOpen:
            CommandFailure("\(error); move that file away to start with no state, or point yardd and yard at the right one", code: "state-unreadable")
        case .busy:
            CommandFailure("\(error); another yard or yardd holds it, try again when it is done", code: "state-busy")
        default:
            CommandFailure("\(error)", code: "state")
        }
    }

    /// The message for a folder with no state yet, naming what creates it.
    static var noStateYet: String { "there is no state here yet (no \(StateLocation.display(stateLocation))): run yard in the folder that holds it, set YARD_STATE, or use --server" }

    static func context(topology: Topology, playbook: ReleasePlaybook, store: any StateStore, environment: [String: String] = [:]) throws -> ReleaseContext {
        try ReleaseContext.processes(topology: topology, playbook: playbook, store: store,
                                     workingDirectory: FileManager.default.currentDirectoryPath, logDirectory: logDirectory,
                                     actor: AuditTrail.localActor, environment: environment)
    }
}
