import Foundation
import Logging
import SwitchyardCore
import SwitchyardRuntime

/// The daemon's drill launcher: runs drills of local processes with the `DrillRunner`, in the
/// background, and restores what interrupted runs left broken (`recoverInterrupted`, at start).
public actor ProcessDrillLauncher: DrillLauncher {
    let manifests: LiveCatalog
    let store: any StateStore
    let logger: Logger
    let settleLimit: TimeSpan
    /// Counts each finished run and keeps its RTO and requests lost (`yardd_drill_*`).
    let metrics: DaemonMetrics?
    var running: [String: (runner: DrillRunner, task: Task<DrillReport, Never>)] = [:]

    public init(catalog: LiveCatalog, store: any StateStore, settleLimit: TimeSpan = .seconds(30), metrics: DaemonMetrics? = nil, logger: Logger) {
        manifests = catalog
        self.store = store
        self.metrics = metrics
        self.settleLimit = settleLimit
        self.logger = logger
    }

    /// The manifests as they are now (a reload replaces them; a run keeps the ones it started with).
    var catalog: ManifestCatalog { manifests.current }

    var logDirectory: String { "\(catalog.directory)/.yard/logs" }

    func executor(_ instances: any InstanceDriver) -> RestoreExecutor {
        RestoreExecutor(topologies: catalog.set.topologies, store: store, instances: instances, workingDirectory: catalog.directory)
    }

    /// Runs the pending restores of runs whose process died (this daemon's previous life, or a CLI).
    public func recoverInterrupted() async {
        let driver = FleetInstanceDriver.standard(logDirectory: logDirectory)
        do {
            for recovered in try await DrillRecovery.recover(store: store, executor: executor(driver)) {
                if recovered.failures.isEmpty {
                    logger.warning("restored interrupted drill \(recovered.run): \(recovered.restored.joined(separator: "; "))")
                } else {
                    logger.error("drill \(recovered.run) left a fault in place and its restore failed: \(recovered.failures.joined(separator: "; "))")
                }
            }
        } catch {
            logger.error("cannot check for interrupted drills: \(error)")
        }
    }

    public func launch(playbook: DrillPlaybook, fire: Date, reason: String, actor: String, leaderFence: LeaseFence?) async throws -> String {
        guard let topology = catalog.set.topology(named: playbook.topology) else {
            throw DrillContext.Failure.unknownTopology(playbook.topology, playbook: playbook.name)
        }
        var context = try DrillContext.processes(playbook: playbook, topology: topology, store: store, workingDirectory: catalog.directory,
                                                 logDirectory: logDirectory, actor: actor, settleLimit: settleLimit)
        context.leaderFence = leaderFence
        let logger = self.logger, metrics = self.metrics
        let runner = DrillRunner(context: context, executor: executor(context.instances)) { event in
            switch event {
            case .step(let step) where step.status != "started": logger.info("drill \(playbook.name): \(step.step) \(step.status) \(step.detail ?? "")")
            case .finished(let report):
                metrics?.drillFinished(report)
                logger.notice("drill \(report.id) \(report.outcome.rawValue): \(report.notes.last ?? "")")
            default: break
            }
        }
        try await runner.claim()
        let id = runner.id
        let task = Task { await runner.run() }
        running[id] = (runner, task)
        Task { _ = await task.value; self.finished(id) }
        return id
    }

    func finished(_ id: String) { running[id] = nil }

    public func stop(run: String, reason: String) async {
        guard let entry = running[run] else { return }
        await entry.runner.cancel(reason)
        _ = await entry.task.value
    }

    /// Stops every run (the daemon is shutting down): each restores its fault first.
    public func stopAll(reason: String) async {
        for id in Array(running.keys) { await stop(run: id, reason: reason) }
    }
}
