import Foundation
import SwitchyardCore

/// Runs one drill: drives the pure `DrillMachine`, performs its actions, and keeps the run's record
/// (status and report so far) in the state store at every step. The fault's restore steps are in the
/// store before the fault is injected; a run that dies midway leaves them pending for `DrillRecovery`.
public actor DrillRunner {
    nonisolated public let context: DrillContext
    nonisolated public let id: String
    let executor: RestoreExecutor
    let progress: @Sendable (DrillProgress) -> Void

    var machine: DrillMachine
    var report: DrillReport
    var traffic: LoadGenerator?
    var plan: FaultPlan?
    var injectedAt: Double?
    var restoredAt: Double?
    var seen: [Int: DrillSecond] = [:]
    var guardrails: GuardrailMonitor
    var cancelReason: String?
    /// A keepalived pair's node cut off: the instant of the cut and the poll of the other nodes for the virtual address.
    var vipWatch: VIPWatch?
    /// A datastore's primary lost: the write probe and the failover's instants.
    var writeWatch: WriteWatch?
    /// What every write of the run carries: the leases it holds (the playbook's drill lock, the topology's lock), set by
    /// `claim()`, and the leader's lease when a leader runs it.
    var fences: [LeaseFence] = []
    /// The leases this run took itself, which it renews and gives back (the leader's is the election's).
    var ownFences: [LeaseFence] { fences.filter { $0 != context.leaderFence } }
    /// Set once a renewal or a fenced check found a lease taken over: from then on the run writes and restores nothing
    /// (whoever took it over restores).
    var deposed: String?

    /// Lease on the playbook's drill lock: held while the run lives, renewed as it goes.
    static let lease: Duration = .seconds(15)

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case releaseRunning(String)
        case drillRunning(String)
        case topologyBusy(String)

        public var description: String {
            switch self {
            case .topologyBusy(let holder): "\(holder) holds the topology's lock (a release, yard up or down, or another drill); try again when it ends"
            case .releaseRunning(let lock): "a release holds \(lock); drills never run during a release of their topology (try again when it ends)"
            case .drillRunning(let holder): "drill run \(holder) of this playbook is still running"
            }
        }
    }

    public init(context: DrillContext, executor: RestoreExecutor, id: String? = nil, now: Date = Date(),
                progress: @escaping @Sendable (DrillProgress) -> Void = { _ in }) {
        self.context = context
        self.executor = executor
        self.progress = progress
        let id = id ?? ReleaseID.make(service: context.playbook.name, now: now).replacingOccurrences(of: "rel-", with: "drill-")
        self.id = id
        machine = DrillMachine(duration: context.playbook.duration, settleLimit: context.settleLimit)
        guardrails = GuardrailMonitor(context.playbook.guardrails)
        report = DrillReport(id: id, playbook: context.playbook.name, topology: context.topology.name, faultKind: context.playbook.fault.kind,
                             faultDescription: context.playbook.fault.kind, startedAt: now, outcome: .error)
    }

    static func lockName(_ playbook: String) -> String { "drill/\(playbook)" }

    /// The lock's holder: the run, and the process driving it, so that a later start on this machine can
    /// tell a live run from one whose process died without waiting for the lease to run out.
    var holder: String { LockHolder(id).text }

    /// Refuses to start while a release of the topology runs, or another run of the playbook.
    /// Refuses to start while a release of the topology runs, or another run of the playbook.
    public func claim() async throws { try await takeLocks() }

    private func takeLocks() async throws {
        let now = Date()
        let drillLease: LockLease
        do {
            drillLease = try await context.store.acquireLock(name: Self.lockName(context.playbook.name), holder: holder, lease: Self.lease, now: now)
        } catch {
            let holder = (try? await context.store.lock(name: Self.lockName(context.playbook.name)))?.holder ?? "?"
            throw Failure.drillRunning(holder)
        }
        // The topology's lock keeps releases, `yard up` and `yard down` of the topology out while the drill runs.
        let topologyLease: LockLease
        do {
            topologyLease = try await context.store.acquireLock(name: LockName.topology(context.topology.name), holder: holder, lease: Self.lease, now: now)
        } catch {
            _ = try? await context.store.releaseLock(name: Self.lockName(context.playbook.name), holder: holder)
            throw Failure.topologyBusy((try? await context.store.lock(name: LockName.topology(context.topology.name)))?.holder ?? "?")
        }
        fences = [drillLease.fence, topologyLease.fence] + (context.leaderFence.map { [$0] } ?? [])
        // Checked with the topology's lock held (a release checks it with its own held): of the two, one sees the other.
        for service in context.topology.services {
            let name = LockName.release(topology: context.topology.name, service: service.name)
            if let lock = try await context.store.lock(name: name), !lock.isExpired(at: now) {
                for fence in ownFences { _ = try? await context.store.releaseLock(name: fence.lock, holder: fence.holder) }
                fences = []
                throw Failure.releaseRunning(name)
            }
        }
        _ = try await context.store.createDrillRun(id: id, playbook: context.playbook.name, status: "running", now: now)
        try await save(status: "running", finished: false)
    }

    /// Asks the run to stop early: the fault (if injected) is restored at once and the drill ends aborted.
    public func cancel(_ reason: String) { cancelReason = reason }

    /// Runs the drill to its end (call `claim()` first) and returns the report, also stored with the run.
    /// The leases are renewed all along (a long restore included); a renewal that finds them taken over stops the run
    /// from writing or restoring anything more.
    public func run() async -> DrillReport {
        progress(.started(id: id, fault: context.playbook.fault.kind))
        let renewing = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.renewEvery)
                guard let self, await self.renewLeases() else { return }
            }
        }
        defer { renewing.cancel() }
        let aborting = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.abortPollEvery)
                guard let self, await self.readAbortRequest() else { return }
            }
        }
        defer { aborting.cancel() }
        var queue = machine.start()
        while deposed == nil {
            if let reason = cancelReason {
                cancelReason = nil
                // What the machine asks for now replaces the actions queued for the phase it left (an `inject` not performed yet).
                let next = machine.cancelled(reason)
                if !next.isEmpty { queue = next }
            }
            guard !queue.isEmpty else { break }
            let action = queue.removeFirst()
            queue += await perform(action)
        }
        if let deposed {
            progress(.step(DrillStep(at: Date(), step: "deposed", status: "failed", detail: deposed)))
            _ = await traffic?.stop()
            _ = await writeWatch?.probe.stop()
            return report
        }
        for fence in ownFences { _ = try? await context.store.releaseLock(name: fence.lock, holder: fence.holder) }
        return report
    }

    static let renewEvery: Duration = .seconds(2)
    /// How often the run looks for an abort asked for from another process (`DrillAbort`).
    static let abortPollEvery: Duration = .milliseconds(500)

    /// Reads the run's record for an abort request; cancels the run when there is one. False once there is nothing
    /// more to look for (the request was seen, or the run is over).
    func readAbortRequest() async -> Bool {
        guard machine.phase != .finished, deposed == nil else { return false }
        guard let request = (try? await context.store.drillRun(id: id))?.abortRequest else { return true }
        if cancelReason == nil { cancelReason = request.reason }
        return false
    }

    /// Renews the run's own leases and checks the leader's; false (and `deposed` set) once one was taken over.
    func renewLeases() async -> Bool {
        guard deposed == nil else { return false }
        for fence in ownFences {
            do { try await context.store.renewLock(fence, lease: Self.lease, now: Date()) } catch {
                if case .fenced = error { deposed = "this run's lease was taken over, so it stops: \(error)"; return false }
                // A busy or failing store: retried at the next renewal, while the lease lasts.
            }
        }
        if let leader = context.leaderFence {
            do { try await context.store.checkFences([leader]) } catch {
                if case .fenced = error { deposed = "this daemon no longer leads, so the run stops (the next leader restores it): \(error)"; return false }
            }
        }
        return true
    }

    // MARK: actions

    func perform(_ action: DrillMachine.Action) async -> [DrillMachine.Action] {
        switch action {
        case .checkSteadyState(let stage):
            let name = stage == .before ? "steady-state" : "steady-state-after"
            await step(name, "started")
            let result = await SteadyStateCheck(baseURL: baseURL, probes: context.playbook.steadyState).run()
            await step(name, result.ok ? "done" : "failed", result.detail)
            return machine.steadyState(ok: result.ok, detail: result.detail)
        case .startTraffic:
            // Fresh clients every second: users arriving, not one client's connection backoff, decide what is seen.
            let generator = LoadGenerator(configuration: trafficConfiguration(), rotation: ClientRotation(period: clientPeriod))
            if let problem = await generator.reachability() {
                await step("traffic", "failed", problem)
                return machine.trafficStarted(ok: false, detail: problem)
            }
            generator.start()
            traffic = generator
            let load = context.playbook.load
            await step("traffic", "done", "\(load.requestsPerSecond) requests/s and \(load.streams) streams through \(baseURL)")
            // A few seconds of traffic before the fault: the baseline the report compares with.
            await watch(for: .seconds(3), faulted: false)
            return machine.trafficStarted(ok: true, detail: "")
        case .journalRestores:
            do {
                let plan = try await FaultPlan.make(context, run: id)
                self.plan = plan
                report.faultDescription = plan.description
                for restore in plan.restores {
                    _ = try await context.store.appendRestoreAction(run: id, action: try JSONText(encoding: restore), fences: fences, now: Date())
                }
                await step("journal-restores", "done", plan.restores.map(\.summary).joined(separator: "; "))
                return machine.restoresWritten(ok: true, detail: "")
            } catch {
                await step("journal-restores", "failed", "\(error)")
                return machine.restoresWritten(ok: false, detail: "\(error)")
            }
        case .inject:
            guard let plan else { return machine.injected(ok: false, detail: "no plan") }
            await step("inject", "started", plan.description)
            if let failure = await beginWriteProbe(plan) {
                await step("inject", "failed", failure)
                return machine.injected(ok: false, detail: failure)
            }
            injectedAt = await elapsed()
            await beginVIPWatch(plan)
            do {
                let injection = try await FaultInjector.inject(plan, instances: context.instances)
                let detail = injection.detail
                noteFailover(injection.failover)
                pollVIP()
                await step("inject", "done", detail)
                return machine.injected(ok: true, detail: detail)
            } catch {
                await step("inject", "failed", "\(error)")
                return machine.injected(ok: false, detail: "\(error)")
            }
        case .observe(let duration):
            await step("observe", "started", "for \(duration), guardrails on")
            if let trip = await watch(for: duration.duration, faulted: true, guard: true) {
                report.guardrailTrip = trip
                await step("guardrail", "failed", trip.message)
                return machine.guardrailTripped(trip.message)
            }
            if let reason = cancelReason {
                await step("observe", "skipped", "stopped: \(reason)")
                return []
            }
            await step("observe", "done")
            return machine.faultWindowEnded()
        case .restore(let reason):
            await recordVIPFailover()
            await recordWrites()
            await step("restore", "started", reason)
            let (ok, detail) = await restore()
            restoredAt = await elapsed()
            await step("restore", ok ? "done" : "failed", detail)
            return machine.restored(ok: ok, detail: detail)
        case .settle(let limit):
            await step("settle", "started", "watching traffic until it has recovered, at most \(limit)")
            let clock = ContinuousClock()
            let start = clock.now
            while clock.now - start < limit.duration, cancelReason == nil {
                await watch(for: .seconds(1), faulted: false)
                if recovered() { break }
            }
            let outcome = recovered() ? "traffic recovered" : cancelReason.map { "stopped before traffic recovered: \($0)" } ?? "traffic not recovered after \(limit)"
            await step("settle", "done", outcome)
            return machine.settled()
        case .stopTraffic:
            if let traffic {
                let final = await traffic.stop()
                report.seconds = final.timeline.map(Self.second)
                await step("traffic", "done", "stopped: \(final.requests.sent) requests (\(final.requests.failed) failed), \(final.streams.opened) streams (\(final.streams.cut) cut)")
                self.traffic = nil
            }
            return machine.trafficStopped()
        case .analyse:
            let objectives = context.playbook.objectives
            let measurements = DrillMeasurements.analyze(seconds: report.seconds, injectedAt: injectedAt ?? 0, restoredAt: restoredAt,
                                                         objectiveRate: objectives.minSuccessRate)
            report.measurements = measurements
            report.verdicts = objectives.verdicts(measurements, writes: report.writes)
            report.recoveryMechanism = mechanism(measurements)
            let missed = report.verdicts.filter { !$0.passed }
            let detail = missed.isEmpty ? "every objective met" : missed.map { "\($0.objective) \($0.measured) (objective \($0.target))" }.joined(separator: "; ")
            await step("analyse", missed.isEmpty ? "done" : "failed", detail)
            return machine.analysed(objectivesMet: missed.isEmpty, detail: detail)
        case .finish(let outcome, let reason):
            report.outcome = outcome
            report.finishedAt = Date()
            report.notes.append(reason)
            await step("finish", outcome == .passed ? "done" : "failed", "\(outcome.rawValue): \(reason)")
            await save(status: outcome.rawValue, finished: true)
            progress(.finished(report))
            await notifyFinished(reason: reason)
            return []
        }
    }

    // MARK: parts

    var baseURL: String {
        "http://\(context.balancer.clientListener)"
    }

    func trafficConfiguration() -> LoadConfiguration {
        let load = context.playbook.load
        var configuration = LoadConfiguration(baseURL: baseURL)
        configuration.requestsPerSecond = Double(load.requestsPerSecond)
        configuration.streams = load.streams
        configuration.streamTokenDelay = .ms(250)
        configuration.streamTokens = max(1, Int(load.streamDuration.milliseconds / 250))
        configuration.requestTimeout = .seconds(5)
        configuration.streamIdleTimeout = .seconds(10)
        return configuration
    }

    func elapsed() async -> Double { await traffic?.snapshot().elapsed ?? 0 }

    /// Follows the traffic second by second for `duration`, renewing the lock; with `guard`, returns
    /// the first guardrail trip. Stops early when the run is cancelled.
    @discardableResult
    func watch(for duration: Duration, faulted: Bool, guard checkGuardrails: Bool = false) async -> GuardrailTrip? {
        let clock = ContinuousClock()
        let end = clock.now + duration
        while clock.now < end, cancelReason == nil {
            try? await Task.sleep(for: min(.milliseconds(250), end - clock.now))
            guard let snapshot = await traffic?.snapshot(), let last = snapshot.lastSecond, seen[last.second] == nil else { continue }
            let second = Self.second(last)
            seen[last.second] = second
            // Kept in the stored report as it comes, for viewers in other processes (`yard drill watch`, the event stream).
            report.seconds.append(second)
            if faulted { report.faultedSeconds = (report.faultedSeconds?.lowerBound ?? second.second)...second.second }
            progress(.second(second, faulted: faulted))
            await save(status: machine.phase.rawValue, finished: false)
            if checkGuardrails, let injectedAt, Double(second.second) >= injectedAt.rounded(.down), let trip = guardrails.observe(second) {
                return trip
            }
        }
        return nil
    }

    /// Ten consecutive seconds at the objective since the injection, as seen so far.
    func recovered() -> Bool {
        guard let injectedAt else { return true }
        let m = DrillMeasurements.analyze(seconds: Array(seen.values), injectedAt: injectedAt, restoredAt: restoredAt,
                                          objectiveRate: context.playbook.objectives.minSuccessRate)
        guard let rto = m.rto else { return false }
        let last = seen.keys.max() ?? 0
        return injectedAt + rto + Double(m.window) <= Double(last + 1)
    }

    /// Runs this run's pending restores, newest first; stops at the first that fails (it stays pending).
    func restore() async -> (Bool, String) {
        // Whoever took this run's lease over restores; two restores never run at once.
        do { try await context.store.checkFences(fences) } catch {
            deposed = "the restore was left to whoever took this run's lease: \(error)"
            return (false, deposed!)
        }
        let result: (done: [String], failure: String?, pending: Int)
        do { result = try await executor.runPending(run: id) } catch { return (false, "\(error)") }
        let lines = result.done + (result.failure.map { ["failed: \($0)"] } ?? [])
        return (result.failure == nil, lines.isEmpty ? "nothing to restore" : lines.joined(separator: "; "))
    }

    /// What brought traffic back, in words.
    func mechanism(_ m: DrillMeasurements) -> String {
        if m.timeToDetect == nil { return "no request failed: \(survival())" }
        guard m.rto != nil else { return "not recovered" }
        if m.recoveredBeforeRestore { return survival() }
        return "the restore (the fleet did not recover on its own while the fault was in place)"
    }

    func survival() -> String {
        let balancer = context.balancer
        guard balancer.passiveHealth else { return "requests kept being sent to the failed servers (passive health is off)" }
        return "nginx passive health (max_fails=\(balancer.maxFails) fail_timeout=\(balancer.failTimeout)) and retry of unanswered requests on the next server"
    }

    static func second(_ load: LoadSecond) -> DrillSecond {
        DrillSecond(second: load.second, sent: load.sent, succeeded: load.succeeded, failed: load.failed,
                    streamsOpened: load.streamsOpened, streamsCut: load.streamsCut, p99: load.p99 * 1000)
    }

    func step(_ name: String, _ status: String, _ detail: String? = nil) async {
        let entry = DrillStep(at: Date(), step: name, status: status, detail: detail)
        report.steps.append(entry)
        progress(.step(entry))
        await save(status: machine.phase.rawValue, finished: false)
    }

    func save(status: String, finished: Bool) async {
        guard deposed == nil, let json = try? JSONText(encoding: report) else { return }
        do {
            _ = try await context.store.updateDrillRun(id: id, status: status, report: json, finished: finished, fences: fences, now: Date())
        } catch .fenced {
            deposed = "this run's lease was taken over, so it writes no more"
        } catch {
            // A busy or failing store: the next step's save writes the report again.
        }
    }
}
