import Foundation
import Logging
import ServiceLifecycle
import SwitchyardCore
import SwitchyardRuntime

/// Fires drill schedules in the daemon. For every drill playbook with a `schedule` it evaluates the pure
/// `DrillScheduler` in a loop, sleeping until the earliest `wakeAt` (at most `Timing.maxSleep`, so a clock
/// jump or a changed catalog is noticed), and every `Timing.deferredPoll` while a fire waits for a release,
/// so the drill starts soon after the release ends.
///
/// Each evaluation, per playbook: skipped and missed fire times are recorded as finished drill runs (ids
/// derived from the fire time, so a repeat records nothing twice), then the new `ScheduleState` is saved,
/// and only then are runs started through the `DrillLauncher`. A crash therefore never fires a time twice;
/// at worst a start that was decided but not made is lost, and logged as decided.
///
/// The clock is injected: every "now" comes from it, so tests drive time.
public actor DrillScheduleService: ServiceLifecycle.Service {
    public typealias Clock = @Sendable () -> Date

    public struct Timing: Sendable, Hashable {
        /// The longest sleep between evaluations.
        public var maxSleep: Duration
        /// How often to look again while a fire waits for a release of its topology to end.
        public var deferredPoll: Duration
        /// How often a standby asks whether it leads yet.
        public var standbyPoll: Duration

        public init(maxSleep: Duration = .seconds(30), deferredPoll: Duration = .seconds(5), standbyPoll: Duration = .seconds(1)) {
            self.maxSleep = maxSleep
            self.deferredPoll = deferredPoll
            self.standbyPoll = standbyPoll
        }
    }

    /// What one pass over the schedules decided, for the loop and for tests.
    public struct Pass: Sendable, Hashable {
        /// The earliest instant any schedule wants to be evaluated at again.
        public var wakeAt: Date?
        /// Some fire waits for a release to end.
        public var deferred: Bool
        /// The actions taken, by playbook.
        public var actions: [String: [ScheduleAction]]
        /// Runs started, by playbook.
        public var started: [String: [String]]
    }

    let store: any StateStore
    let manifests: @Sendable () async -> ManifestSet
    let launcher: any DrillLauncher
    public nonisolated let clock: Clock
    let timing: Timing
    let logger: Logger
    /// Whether this daemon may fire schedules and start runs now: only the leader does (always, without an election).
    let leadership: Leadership?
    private var recorder: ScheduledFireRecord { ScheduledFireRecord(store: store) }
    /// Tells the topology's and the playbook's targets about skipped and missed runs.
    lazy var notifier = Notifier(store: store)
    private var facts: ScheduleFactsReader { ScheduleFactsReader(store: store) }
    /// Evaluations and runs asked for by hand take turns, so two of them never start the same drill.
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(store: any StateStore, manifests: @escaping @Sendable () async -> ManifestSet, launcher: any DrillLauncher,
                clock: @escaping Clock = { Date() }, timing: Timing = Timing(), logger: Logger, leadership: Leadership? = nil) {
        self.leadership = leadership
        self.store = store
        self.manifests = manifests
        self.launcher = launcher
        self.clock = clock
        self.timing = timing
        self.logger = logger
    }

    public init(store: any StateStore, catalog: ManifestCatalog, launcher: any DrillLauncher, clock: @escaping Clock = { Date() },
                timing: Timing = Timing(), logger: Logger) {
        let set = catalog.set
        self.init(store: store, manifests: { set }, launcher: launcher, clock: clock, timing: timing, logger: logger)
    }

    // MARK: the loop

    public func run() async throws {
        do {
            let finished = try await recorder.finishInterrupted(now: clock())
            if !finished.isEmpty { logger.notice("finished \(finished.count) schedule record(s) a crash left open: \(finished.joined(separator: ", "))") }
        } catch {
            logger.error("cannot check for schedule records a crash left open: \(error)")
        }
        try? await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                // A standby looks again soon: when it is elected, what is due fires at once.
                guard leadership?.isLeader ?? true else {
                    try await Task.sleep(for: timing.standbyPoll)
                    continue
                }
                let pass = await evaluateAll()
                try await Task.sleep(for: await delay(after: pass, now: clock()))
            }
        }
        // Shutting down: a drill in progress restores its fault before the daemon exits.
        await launcher.stopAll(reason: "yardd is shutting down")
    }

    /// How long to sleep after `pass`: until its `wakeAt`, at most `maxSleep`, at most `deferredPoll` while deferred.
    func delay(after pass: Pass, now: Date) -> Duration {
        var delay = timing.maxSleep
        if let wake = pass.wakeAt {
            let milliseconds = max(10, Int64((wake.timeIntervalSince(now) * 1000).rounded(.up)))
            delay = min(delay, .milliseconds(milliseconds))
        }
        if pass.deferred { delay = min(delay, timing.deferredPoll) }
        return delay
    }

    // MARK: evaluating

    /// Evaluates every scheduled drill once, at `clock()`, and acts on the result. Failures are logged; a
    /// schedule that could not be evaluated is looked at again after `maxSleep`.
    @discardableResult
    public func evaluateAll() async -> Pass {
        await serially {
            let now = clock()
            let set = await manifests()
            var pass = Pass(wakeAt: nil, deferred: false, actions: [:], started: [:])
            let snapshot: ScheduleFactsReader.Snapshot
            do { snapshot = try await facts.snapshot(now: now) } catch {
                logger.error("drill schedules not evaluated: \(error)")
                return pass
            }
            for playbook in set.drillPlaybooks {
                guard let schedule = playbook.schedule else { continue }
                do {
                    let compiled = try CompiledSchedule(schedule)
                    let reading = try await facts.read(for: playbook, in: set, snapshot)
                    let targets = (set.topology(named: playbook.topology)?.notify ?? []) + playbook.notify
                    let (evaluation, started) = try await evaluate(playbook, compiled, reading: reading, targets: targets, now: now)
                    if !evaluation.actions.isEmpty { pass.actions[playbook.name] = evaluation.actions }
                    if !started.isEmpty { pass.started[playbook.name] = started }
                    if evaluation.state.deferredFire != nil { pass.deferred = true }
                    if let wake = evaluation.wakeAt { pass.wakeAt = min(pass.wakeAt ?? wake, wake) }
                } catch {
                    logger.error("drill \(playbook.name): schedule not evaluated: \(error)")
                }
            }
            return pass
        }
    }

    /// Journal, then act: records the skips, saves the state, then starts what is to start.
    private func evaluate(_ playbook: DrillPlaybook, _ schedule: CompiledSchedule, reading: ScheduleFactsReader.Reading,
                          targets: [NotifyTarget], now: Date) async throws -> (ScheduleEvaluation, [String]) {
        let name = playbook.name
        let stored = try await store.scheduleState(playbook: name) ?? ScheduleState()
        let evaluation = DrillScheduler(schedule: schedule).evaluate(state: stored, now: now, facts: reading.facts)
        if stored.handledThrough == nil { logger.info("drill \(name): schedule \(schedule.schedule.cron) in \(schedule.schedule.timeZone) starts now") }
        if evaluation.omittedMissed { logger.warning("drill \(name): more fire times were missed than are recorded one by one; the oldest are left out") }
        for case .skip(let fire, let reason) in evaluation.actions {
            if try await recorder.recordSkip(playbook: name, fire: fire, reason: reason, now: now) {
                logger.notice("drill \(name): \(ScheduledFireRecord.status(reason)) the run of \(Self.format(fire, schedule)): \(reason)")
                if !targets.isEmpty {
                    let notice = Notice(event: .drillSkipped, at: now, topology: playbook.topology, subject: name,
                                        text: "drill \(name): \(ScheduledFireRecord.status(reason)) the run of \(Self.format(fire, schedule)): \(reason)",
                                        details: ["playbook": name, "fire": Self.format(fire, schedule), "reason": "\(reason)"])
                    await notifier.send(notice, to: targets)
                }
            }
        }
        try await store.saveScheduleState(playbook: name, evaluation.state, now: now)
        var started: [String] = []
        for action in evaluation.actions {
            switch action {
            case .start(let fire):
                if let run = await launch(playbook, fire: fire, schedule: schedule, now: now) { started.append(run) }
            case .replace(let running, let fire):
                logger.notice("drill \(name): stopping run \(running) to start the run of \(Self.format(fire, schedule)) (concurrency replace)")
                await launcher.stop(run: running, reason: "replaced by the run scheduled for \(Self.format(fire, schedule))")
                if let run = await launch(playbook, fire: fire, schedule: schedule, now: now) { started.append(run) }
            case .defer(let fire, let until):
                if stored.deferredFire != fire {
                    logger.notice("drill \(name): the run of \(Self.format(fire, schedule)) waits for \(reading.release ?? "a release of \(playbook.topology)"), until \(Self.format(until, schedule)) at the latest")
                }
            case .skip:
                break
            }
        }
        return (evaluation, started)
    }

    private func launch(_ playbook: DrillPlaybook, fire: Date, schedule: CompiledSchedule, now: Date) async -> String? {
        let reason = "scheduled for \(Self.format(fire, schedule))"
        do {
            let run = try await AuditTrail(store: store).perform(actor: "scheduler", action: "drill.run", target: playbook.name, detail: reason) {
                try await launcher.launch(playbook: playbook, fire: fire, reason: reason, actor: "scheduler", leaderFence: try leaderFence())
            }
            logger.notice("drill \(playbook.name): started run \(run), \(reason)")
            return run
        } catch {
            logger.error("drill \(playbook.name): the run \(reason) could not start: \(error)")
            do { try await recorder.recordFailedStart(playbook: playbook.name, fire: fire, error: error, now: now) } catch let storeError {
                logger.error("drill \(playbook.name): cannot record that the run \(reason) did not start: \(storeError)")
            }
            return nil
        }
    }

    static func format(_ date: Date, _ schedule: CompiledSchedule) -> String {
        Date.ISO8601FormatStyle(timeZone: schedule.timeZone).format(date)
    }

    // MARK: runs asked for by hand

    /// Starts a run of `playbook` now, for `actor`. Refused when a release of its topology runs, or when a
    /// run is still running and the schedule's concurrency (forbid when it has none) forbids another;
    /// under `replace` the running one is stopped first.
    /// Audited (`drill.run`, refused or accepted) like every drill start of the daemon.
    public func runNow(playbook name: String, actor: String) async throws -> String {
        try await AuditTrail(store: store).perform(actor: actor, action: "drill.run", target: name) {
            try await startNow(playbook: name, actor: actor)
        }
    }

    private func startNow(playbook name: String, actor: String) async throws -> String {
        if let leadership, !leadership.isLeader { throw NotLeader(leader: leadership.leader) }
        return try await serially {
            let set = await manifests()
            guard let playbook = set.drillPlaybook(named: name) else {
                throw ManualRunRefusal.unknownPlaybook(name, known: set.drillPlaybooks.map(\.name))
            }
            let now = clock()
            let reading = try await facts.read(for: playbook, in: set, try await facts.snapshot(now: now))
            if let release = reading.release { throw ManualRunRefusal.releaseRunning(topology: playbook.topology, activity: release) }
            if let running = reading.facts.runningDrill {
                guard playbook.schedule?.concurrency == .replace else { throw ManualRunRefusal.alreadyRunning(playbook: name, run: running) }
                logger.notice("drill \(name): stopping run \(running) for a run requested by \(actor) (concurrency replace)")
                await launcher.stop(run: running, reason: "replaced by a run requested by \(actor)")
            }
            let run = try await launcher.launch(playbook: playbook, fire: now, reason: "requested by \(actor)", actor: actor,
                                                leaderFence: try leaderFence())
            logger.notice("drill \(name): started run \(run), requested by \(actor)")
            return run
        }
    }

    /// Restores what interrupted runs broke, now, when this daemon leads (or runs without an election); false on a
    /// standby, whose leader restores them at its next look.
    public func recoverInterruptedAsLeader() async -> Bool {
        if let leadership, !leadership.isLeader { return false }
        await launcher.recoverInterrupted()
        return true
    }

    /// The lease a run started now carries: the leader's (nil without an election). Refused once this daemon no
    /// longer leads, also when it lost the lease while the start was being decided.
    private func leaderFence() throws -> LeaseFence? {
        guard let leadership else { return nil }
        guard let fence = leadership.fence else { throw NotLeader(leader: leadership.leader) }
        return fence
    }

    // MARK: taking turns

    private func serially<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        }
        return try await body()
    }
}

/// Why a run asked for by hand was not started.
public enum ManualRunRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownPlaybook(String, known: [String])
    case releaseRunning(topology: String, activity: String)
    case alreadyRunning(playbook: String, run: String)

    public var description: String {
        switch self {
        case .unknownPlaybook(let name, let known):
            "no DrillPlaybook named \(name)" + (known.isEmpty ? "; add one to playbooks/" : " (known: \(known.joined(separator: ", ")))")
        case .releaseRunning(let topology, let activity):
            "a release of topology \(topology) is running (\(activity)); run the drill once it has finished"
        case .alreadyRunning(let playbook, let run):
            "run \(run) of \(playbook) is still running and its concurrency is forbid; wait for it to finish"
        }
    }
}
