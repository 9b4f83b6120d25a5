import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SwitchyardCore
import SwitchyardRuntime

/// Runs releases in the background for the daemon and keeps their tasks: started over the API, or resumed
/// at start when a previous daemon left them unfinished. On graceful shutdown the tasks are cancelled; every
/// release stays journaled and the next start resumes it.
public actor ReleaseService: ServiceLifecycle.Service {
    let store: any StateStore
    /// Read when a release starts or resumes: a release keeps the manifests it started with across reloads.
    let catalog: LiveCatalog
    let makeContext: ReleaseContextFactory
    let logger: Logger
    let metrics: DaemonMetrics
    private var tasks: [UUID: Task<Void, Never>] = [:]
    /// The release each task drives, once it has started: a release driven here is not resumed again.
    private var driving: [UUID: String] = [:]
    /// Releases that could not be resumed, logged once each (the leader tries again at every look).
    private var unresumable: Set<String> = []
    /// Set once shutting down: nothing new is started or resumed.
    private var stopping = false
    /// Set once unfinished releases have been taken over (by this daemon as leader, or by the leader as a standby
    /// sees it): mutations wait for it.
    public private(set) var isReady = false
    /// Whether this daemon leads; its lease fences every release it drives. Nil: always leads (one daemon, tests).
    let leadership: Leadership?

    public init(store: any StateStore, catalog: LiveCatalog, makeContext: @escaping ReleaseContextFactory, logger: Logger,
                metrics: DaemonMetrics = DaemonMetrics(), leadership: Leadership? = nil) {
        self.leadership = leadership
        self.store = store
        self.catalog = catalog
        self.metrics = metrics
        self.makeContext = makeContext
        self.logger = logger
    }

    /// How a background release got going: its id once it holds its locks, or why it could not start.
    enum Start: Sendable {
        case started(String)
        case refused(any Error)
    }

    // MARK: starting and resuming

    /// Starts a release of `version` and returns its id once it holds the service's lock; the release runs on.
    public func start(service: String, topology: String?, version: String, manual: Bool?, actor: String) async throws -> String {
        let (topology, playbook) = try catalog.current.release(service: service, topology: topology)
        let context = try leaderContext(try makeContext(topology, playbook, store, actor))
        return try await launch(context) { runner in try await runner.release(version: version, manual: manual) }
    }

    /// Why this daemon may not drive releases now; nil when it may.
    public var refusal: NotLeader? {
        guard let leadership, !leadership.isLeader else { return nil }
        return NotLeader(leader: leadership.leader)
    }

    /// `context` fenced by this daemon's leadership lease; throws `NotLeader` when it does not lead.
    private func leaderContext(_ context: ReleaseContext) throws -> ReleaseContext {
        if let refusal { throw refusal }
        var context = context
        context.leaderFence = leadership?.fence
        return context
    }

    /// A standby is ready once it knows it follows: it serves reads, and answers mutations with who leads.
    public func markReady() { isReady = true }

    /// Resumes every release the store holds unfinished, each in the background; returns once each one
    /// drives again (or could not be resumed, which is logged).
    /// Releases driven here are left alone, so the leader may call it again and again: it picks up what a deposed or
    /// dead leader left, and what stopped here on an error (the state store went away mid-release, say).
    public func resumeUnfinished() async throws {
        let here = Set(driving.values)
        for record in try await store.unfinishedReleases() where !here.contains(record.id) && !stopping {
            do {
                let (topology, playbook) = try catalog.current.release(service: record.service, topology: record.topology)
                let context = try leaderContext(try makeContext(topology, playbook, store, "yardd"))
                let id = try await launch(context) { runner in try await runner.resume(releaseID: record.id) }
                unresumable.remove(record.id)
                logger.notice("resumed release \(id) of \(record.service) \(record.version) in phase \(record.phase.rawValue)")
            } catch is NotLeader {
                break
            } catch {
                if unresumable.insert(record.id).inserted { logger.error("cannot resume release \(record.id) of \(record.service): \(error)") }
            }
        }
        isReady = true
    }

    /// Runs `body` in a kept task; returns when the runner reports `started` or throws before it.
    private func launch(_ context: ReleaseContext, _ body: @escaping @Sendable (ReleaseRunner) async throws -> ReleaseSummary) async throws -> String {
        let (signals, signal) = AsyncStream.makeStream(of: Start.self, bufferingPolicy: .bufferingOldest(1))
        let logger = self.logger, metrics = self.metrics
        let started = StartedFlag()
        let gates = SettledGates()
        let runner = ReleaseRunner(context: context) { update in
            switch update {
            case .started(let id, _, _):
                started.set()
                signal.yield(.started(id))
            case .measured(let gate, let measurement, let verdict, _):
                metrics.gateMeasured(gate: gate, result: measurement.phase.rawValue)
                if let settled = gates.settle(gate, verdict) { metrics.gateSettled(gate: gate, verdict: settled) }
            case .finished(let outcome, let reason):
                metrics.releaseFinished(outcome: outcome.rawValue)
                logger.info("release of \(context.service.name) \(outcome.rawValue): \(reason)")
            default: break
            }
        }
        let key = UUID()
        tasks[key] = Task {
            do {
                _ = try await body(runner)
            } catch {
                signal.yield(.refused(error))
                // A refusal before the start is the caller's answer, and a cancelled one resumes at the next start.
                if started.isSet, !Task.isCancelled { logger.error("release of \(context.service.name) ended with an error: \(error)") }
            }
            signal.finish()
            await self.forget(key)
        }
        metrics.releasesRunning(tasks.count)
        for await first in signals {
            switch first {
            case .started(let id):
                driving[key] = id
                return id
            case .refused(let error): throw error
            }
        }
        throw CancellationError()
    }

    private func forget(_ key: UUID) {
        tasks[key] = nil
        driving[key] = nil
        metrics.releasesRunning(tasks.count)
    }

    /// How many releases run in this process now.
    public var running: Int { tasks.count }

    // MARK: lifecycle

    public func run() async throws {
        try? await gracefulShutdown()
        stopping = true
        await stopAll(reason: "yardd is shutting down; each resumes at the next start")
    }

    /// Cancels every release driven here and waits for each to stop: each stays journaled, and the next leader (or
    /// the next start) resumes it.
    public func stopAll(reason: String) async {
        let running = Array(tasks.values)
        if !running.isEmpty { logger.notice("stopping \(running.count) running release(s): \(reason)") }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}

/// Whether a runner reported `started`: set from its update callback, read by the task running it.
private final class StartedFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// The gates of one release whose verdict has settled (passed or failed), so each is counted once.
final class SettledGates: Sendable {
    private let settled = Mutex<[String: String]>([:])

    /// The verdict to count when `gate` has just settled or changed its settled verdict; nil otherwise.
    func settle(_ gate: String, _ verdict: GateVerdict) -> String? {
        let name: String
        switch verdict {
        case .pending: return nil
        case .passed: name = "passed"
        case .failed: name = "failed"
        }
        return settled.withLock { known in
            guard known[gate] != name else { return nil }
            known[gate] = name
            return name
        }
    }
}
