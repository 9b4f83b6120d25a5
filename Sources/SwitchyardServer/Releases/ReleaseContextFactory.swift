import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// Builds the context a release runs in; tests swap the drivers.
public typealias ReleaseContextFactory = @Sendable (_ topology: Topology, _ playbook: ReleasePlaybook, _ store: any StateStore, _ actor: String) throws -> ReleaseContext

extension ManifestCatalog {
    /// Real gateway processes and nginx, with logs under `<directory>/.yard/logs`, as the CLI runs them.
    public var processContextFactory: ReleaseContextFactory {
        let directory = self.directory
        return { topology, playbook, store, actor in
            try ReleaseContext.processes(topology: topology, playbook: playbook, store: store, workingDirectory: directory,
                                         logDirectory: "\(directory)/.yard/logs", actor: actor)
        }
    }
}
