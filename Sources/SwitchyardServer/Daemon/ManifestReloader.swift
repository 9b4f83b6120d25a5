import Foundation
import Logging
import SwitchyardCore

/// Reads the manifests again (on SIGHUP or `POST /v1/reload`). The new set is loaded and validated first:
/// an invalid one changes nothing and its located errors are returned; a valid one replaces the catalog whole.
public struct ManifestReloader: Sendable {
    public let catalog: LiveCatalog
    let metrics: DaemonMetrics
    let logger: Logger

    /// What a successful reload changed.
    public struct Summary: Sendable, Codable, Hashable {
        public var topologies: [String]
        /// How many manifests (topologies, playbooks, plans) the set holds.
        public var manifests: Int
        public var added: [String]
        public var removed: [String]
    }

    /// Loads `<directory>/topologies` and `playbooks` again; throws the located errors of an invalid set,
    /// which leaves the catalog serving as it was.
    public func reload(trigger: String) throws(ManifestCatalog.Invalid) -> Summary {
        let directory = catalog.current.directory
        let loaded: ManifestCatalog
        do {
            loaded = try ManifestCatalog.load(directory: directory)
        } catch {
            metrics.manifestReload(outcome: "refused")
            logger.error("manifest reload (\(trigger)) refused; the previous manifests keep serving:\n\(error)")
            throw error
        }
        let previous = catalog.replace(with: loaded)
        let before = Set(previous.set.topologies.map(\.name)), after = Set(loaded.set.topologies.map(\.name))
        let summary = Summary(topologies: loaded.set.topologies.map(\.name).sorted(), manifests: loaded.set.manifests.count,
                              added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted())
        metrics.manifestReload(outcome: "applied")
        logger.notice("manifests reloaded (\(trigger)): \(summary.topologies.count) topologies, \(summary.manifests) manifests; added \(summary.added), removed \(summary.removed)")
        return summary
    }
}
