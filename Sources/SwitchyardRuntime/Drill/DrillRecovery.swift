import Foundation
import SwitchyardCore

/// Runs the restores that a drill journaled and never got to run because its process died, then closes
/// the run with a report that says so. The daemon and the CLI call it before anything else.
public enum DrillRecovery {
    public struct Recovered: Sendable, Hashable {
        public var run: String
        public var restored: [String]
        public var failures: [String]
    }

    /// Whether a runner still drives `run`: it holds the playbook's drill lock, unexpired, from a process that may be alive.
    public static func isDriven(_ run: DrillRunRecord, store: any StateStore, now: Date = Date()) async throws(StateStoreError) -> Bool {
        guard let lock = try await store.lock(name: DrillRunner.lockName(run.playbook)), !lock.isExpired(at: now),
              let holder = LockHolder(parsing: lock.holder) else { return false }
        return holder.name == run.id && holder.mayBeAlive
    }

    /// Every unfinished run whose runner is gone (its lock free or expired): pending restores run newest
    /// first, the run marked finished. A run whose restore fails stays unfinished, its steps pending.
    public static func recover(store: any StateStore, executor: RestoreExecutor, now: @Sendable () -> Date = { Date() }) async throws -> [Recovered] {
        var result: [Recovered] = []
        for run in try await store.unfinishedDrillRuns() {
            let lock = try await store.lock(name: DrillRunner.lockName(run.playbook))
            let holder = lock.flatMap { LockHolder(parsing: $0.holder) }
            if try await isDriven(run, store: store, now: now()) { continue }  // alive in another process
            let outcome = try await executor.runPending(run: run.id)
            let restored = outcome.done
            let failures = outcome.failure.map { [$0] } ?? []
            let pendingCount = outcome.pending
            var report = (try? run.report?.decode(DrillReport.self))
                ?? DrillReport(id: run.id, playbook: run.playbook, topology: "", faultKind: "", faultDescription: "", startedAt: run.startedAt, outcome: .error)
            let when = ISO8601DateFormatter().string(from: now())
            report.restoredAfterCrash = pendingCount > 0
            report.steps.append(DrillStep(at: now(), step: "recovery", status: failures.isEmpty ? "done" : "failed",
                                          detail: pendingCount == 0 ? "the run's process stopped; nothing was left to restore"
                                              : (restored + failures.map { "failed: \($0)" }).joined(separator: "; ")))
            if failures.isEmpty {
                report.outcome = .error
                report.finishedAt = now()
                report.notes.append(pendingCount == 0
                    ? "The drill's process stopped before the run ended (found at \(when)); no restore was pending."
                    : "The drill's process stopped mid-drill; its \(pendingCount) pending restore\(pendingCount == 1 ? "" : "s") ran at the next start (\(when)).")
            } else {
                report.notes.append("A restore failed at \(when) and stays pending: \(failures.joined(separator: "; ")). Restore by hand, or start again to retry.")
            }
            _ = try await store.updateDrillRun(id: run.id, status: failures.isEmpty ? "restored-after-crash" : "restore-failed",
                                               report: try JSONText(encoding: report), finished: failures.isEmpty, now: now())
            if failures.isEmpty, let lock, holder?.name == run.id {
                _ = try await store.releaseLock(name: lock.name, holder: lock.holder)
                // The topology's lock, taken by the same holder beside the drill's.
                if !report.topology.isEmpty { _ = try await store.releaseLock(name: LockName.topology(report.topology), holder: lock.holder) }
            }
            result.append(Recovered(run: run.id, restored: restored, failures: failures))
        }
        return result
    }
}
