import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// What the scheduler needs to know about the world for each drill, read from the state store: whether a
/// release of the drill's topology runs (an unfinished release of it, or a held `release/<topology>/<service>`
/// lock, which also covers a release the CLI runs), and which run of the drill has not finished.
struct ScheduleFactsReader: Sendable {
    /// One read of the store, shared by every playbook evaluated at the same instant.
    struct Snapshot: Sendable {
        var unfinishedReleases: [ReleaseRecord]
        var unfinishedRuns: [DrillRunRecord]
        var now: Date
    }

    /// The facts, and for logs what makes the release fact true.
    struct Reading: Sendable {
        var facts: ScheduleFacts
        var release: String?
    }

    let store: any StateStore

    func snapshot(now: Date) async throws(StateStoreError) -> Snapshot {
        Snapshot(unfinishedReleases: try await store.unfinishedReleases(), unfinishedRuns: try await store.unfinishedDrillRuns(), now: now)
    }

    func read(for playbook: DrillPlaybook, in manifests: ManifestSet, _ snapshot: Snapshot) async throws(StateStoreError) -> Reading {
        let running = snapshot.unfinishedRuns.last { $0.playbook == playbook.name && !$0.id.hasPrefix(ScheduledFireRecord.prefix) }
        let release = try await releaseActivity(topology: playbook.topology, manifests: manifests, snapshot)
        return Reading(facts: ScheduleFacts(releaseRunning: release != nil, runningDrill: running?.id), release: release)
    }

    /// `release rel-… of gateway` when a release of the topology runs, nil when none does.
    func releaseActivity(topology: String, manifests: ManifestSet, _ snapshot: Snapshot) async throws(StateStoreError) -> String? {
        if let record = snapshot.unfinishedReleases.first(where: { $0.topology == topology }) {
            return "release \(record.id) of \(record.service) (phase \(record.phase.rawValue))"
        }
        for service in manifests.topology(named: topology)?.services ?? [] {
            let name = LockName.release(topology: topology, service: service.name)
            if let lease = try await store.lock(name: name), !lease.isExpired(at: snapshot.now) {
                return "\(lease.holder) (lock \(name))"
            }
        }
        return nil
    }
}
