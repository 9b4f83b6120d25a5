import Foundation
import SwitchyardCore
#if canImport(Glibc)
import Glibc
#endif

/// Performs what the release machine asks, journaling each action before it acts and marking it
/// done after, so that a control plane killed at any point resumes (or rolls back) on its next start.
public actor ReleaseRunner {
    public let context: ReleaseContext
    let onUpdate: @Sendable (ReleaseUpdate) -> Void
    let clock = ContinuousClock()

    var id = ""
    var machine: ReleaseMachine?
    var resumed = false
    var switchTime: Duration?
    var rollbackTime: Duration?
    var failingVerdictAt: ContinuousClock.Instant?
    var lastSwitchAt: ContinuousClock.Instant?
    var controlSequence = 0
    /// The leases this runner drives under (the service's release lock, this process's driving of the release): every
    /// journal write carries them, and the store refuses it once either was taken over.
    var fences: [LeaseFence] = []
    /// The routing the last route action made nginx serve, committed with that action's completion.
    var pendingRouting: RoutingCommit?
    var lastMeasured: String?
    /// The old slot's instances, kept as backup servers of the live upstream while it is still up after a switch.
    var backupServers: [HostPort] = []
    /// Who drives the release now: this process. A second process may resume the release only
    /// once this lease has lapsed (the first one died), never while it is renewed.
    let driver = LockHolder("driver").text
    static let driverLease: Duration = .seconds(5)
    /// Old nginx workers draining at once above which a switch says so (they pile up with reloads).
    static let drainingWorkerWarning = 8

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case alreadyLive(String)
        case nothingLive(String)
        case unknownRelease(String)
        case topologyBusy(topology: String, holder: String)

        public var description: String {
            switch self {
            case .alreadyLive(let version): "version \(version) already serves every zone; nothing to release"
            case .nothingLive(let service): "nothing of \(service) is live yet; run `yard up` first to start the first version"
            case .unknownRelease(let id): "no release \(id) in the state store"
            case .topologyBusy(let topology, let holder):
                "\(holder) holds topology \(topology) (a drill, or yard up or down, is running); releases wait until it ends"
            }
        }
    }

    public init(context: ReleaseContext, onUpdate: @escaping @Sendable (ReleaseUpdate) -> Void = { _ in }) {
        self.context = context
        self.onUpdate = onUpdate
    }

    // MARK: starting

    /// Plans and runs a release of `version`; returns when it is promoted, rolled back or failed.
    /// Audited (`release.start` by the context's actor) from here, whichever entry point asked.
    public func release(version: String, manual: Bool? = nil) async throws -> ReleaseSummary {
        let audit = AuditTrail(store: context.store), actor = context.actor, target = context.service.name
        let detail = "version \(version)\(manual == true ? ", manual promotion" : "")"
        try await audit.requested(actor: actor, action: "release.start", target: target, detail: detail)
        do {
            try await begin(version: version, manual: manual)
        } catch {
            await audit.outcome(actor: actor, action: "release.start", target: target, refusal: "\(error)")
            throw error
        }
        await audit.outcome(actor: actor, action: "release.start", target: target)
        return try await drive(startActions)
    }

    /// The actions the machine's start asked for, kept between `begin` and the first `drive`.
    var startActions: [ReleaseMachine.Action] = []

    /// Plans, takes the locks, records the release and makes sure nginx runs: everything before the first action.
    func begin(version: String, manual: Bool?) async throws {
        guard ReleaseVersion.isValid(version) else { throw ReleasePlan.PlanError.invalidVersion(version) }
        let store = context.store
        guard let routing = try await store.routing(service: context.service.name) else { throw Failure.nothingLive(context.service.name) }
        let plan = try ReleasePlan.make(topology: context.topology, playbook: context.playbook, version: version,
                                        live: routing.live, liveVersion: routing.liveVersion, manual: manual)
        // Every host answers before anything is taken, written or started.
        try await context.instances.preflight(context.service)
        let newID = ReleaseID.make(service: context.service.name, now: Date())
        let serviceLease = try await store.acquireLock(name: context.lockName, holder: newID, lease: Self.serviceLease, now: Date())
        id = newID
        // Checked with the service's lock held (a drill checks release locks with the topology's held): of a drill and a
        // release that start together, one sees the other.
        if let busy = try await store.lock(name: LockName.topology(context.topology.name)), !busy.isExpired(at: Date()) {
            _ = try? await store.releaseLock(name: context.lockName, holder: newID)
            throw Failure.topologyBusy(topology: context.topology.name, holder: busy.holder)
        }
        let driverLease = try await store.acquireLock(name: driverLock, holder: driver, lease: Self.driverLease, now: Date())
        fences = [serviceLease.fence, driverLease.fence] + (context.leaderFence.map { [$0] } ?? [])
        try await supersedeLapsed(by: newID)
        // The load balancer serves as committed before anything is recorded: a balancer that cannot (a site node whose
        // nginx is down, say) stops the release here, with its locks given back and nothing to resume.
        do {
            try await ensureBalancer(routing.live)
        } catch {
            _ = try? await store.releaseLock(name: driverLock, holder: driver)
            _ = try? await store.releaseLock(name: context.lockName, holder: newID)
            throw error
        }
        var machine = ReleaseMachine(plan: plan)
        _ = try await store.createRelease(NewRelease(id: newID, startedBy: context.actor, machine: machine, now: Date()),
                                          journal: [.note("release of \(plan.service) \(version) started by \(context.actor)")], now: Date())
        onUpdate(.started(id: newID, plan: plan, resumed: false))
        await notify(.releaseStarted, id: newID, plan: plan, text: "\(plan.service) \(plan.version) release started by \(context.actor)")
        startActions = machine.start()
        self.machine = machine
    }

    /// Picks up a release that a previous process left unfinished: the current phase's actions run again.
    public func resume(releaseID: String) async throws -> ReleaseSummary {
        guard let record = try await context.store.release(id: releaseID) else { throw Failure.unknownRelease(releaseID) }
        id = releaseID
        resumed = true
        let driverLease = try await takeOverDriving()
        let serviceLease = try await context.store.acquireLock(name: context.lockName, holder: record.id, lease: Self.serviceLease, now: Date())
        fences = [serviceLease.fence, driverLease.fence] + (context.leaderFence.map { [$0] } ?? [])
        var machine = record.machine
        let pending = try await context.store.pendingAction(release: record.id)
        try await context.store.appendJournal(release: record.id, [.note("resumed in phase \(machine.phase.rawValue) by \(context.actor)"
            + (pending.map { "; interrupted during: \($0.message)" } ?? ""))], fences: fences, now: Date())
        controlSequence = (try await context.store.journal(release: record.id).last?.sequence) ?? 0
        onUpdate(.started(id: record.id, plan: machine.plan, resumed: true))
        if let routing = try await context.store.routing(service: context.service.name) { try await ensureBalancer(routing.live) }
        let actions = machine.restarted()
        self.machine = machine
        return try await drive(actions)
    }

    var driverLock: String { "driver/\(id)" }

    /// Waits (up to one lease) for the process that drove this release to be gone, then drives it. A driver on
    /// this host whose process is dead is known at once: no wait.
    func takeOverDriving() async throws -> LockLease {
        let deadline = clock.now + Self.driverLease + .seconds(1)
        while true {
            do {
                return try await context.store.acquireLock(name: driverLock, holder: driver, lease: Self.driverLease, now: Date())
            } catch {
                if await LockHolder.clearIfDead(driverLock, store: context.store) { continue }
                if clock.now >= deadline { throw error }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// Renews both leases: the service's release lock and this process's driving of the release. Either renewal
    /// failing (taken over while this process was frozen, say) throws `.fenced`, and the runner stops acting.
    func renewLeases() async throws {
        for fence in fences where fence != context.leaderFence {
            try await context.store.renewLock(fence, lease: fence.lock == driverLock ? Self.driverLease : Self.serviceLease, now: Date())
        }
        if let leader = context.leaderFence { try await context.store.checkFences([leader]) }
    }

    /// How long the service's release lock lasts unrenewed: past it, another release of the service may start, and
    /// this one is superseded.
    static let serviceLease: Duration = .seconds(60)

    /// Closes any other unfinished release of this service: holding the service's lock now means that release's lease
    /// ran out (its driver froze or died), and this release drives the service from here on. The one superseded is
    /// fenced off by the lock's new generation: whatever it tries next is refused.
    func supersedeLapsed(by newID: String) async throws {
        for record in try await context.store.unfinishedReleases() where record.service == context.service.name && record.id != newID {
            var machine = record.machine
            _ = machine.superseded(by: newID)
            try await context.store.saveRelease(id: record.id, machine: machine,
                                                journal: [.note("superseded by release \(newID): its lease on \(context.service.name) ran out")],
                                                routing: nil, fences: fences, now: Date())
            onUpdate(.note("release \(record.id) of \(record.service) had stopped renewing its lease; it is closed as superseded"))
        }
    }

    /// Makes sure this load balancer's nginx runs (it may have stopped with the machine), routing as committed.
    func ensureBalancer(_ routing: Routing) async throws {
        guard await !context.nginx.isRunning else { return }
        let config = NginxConfig(balancer: context.balancer, service: context.service.name, live: context.service.liveAddresses(routing),
                                 preview: [], prefix: context.nginx.prefix, routingLabel: routing.label)
        try await context.nginx.start(config)
        if let pid = await context.nginx.masterPID { try await context.store.recordLoadBalancer(name: context.balancer.name, masterPID: pid, now: Date()) }
        onUpdate(.note("started nginx for \(context.balancer.name) on \(context.balancer.listen)"))
    }

    // MARK: the loop

    func drive(_ initial: [ReleaseMachine.Action]) async throws -> ReleaseSummary {
        var queue = initial
        while !queue.isEmpty {
            let action = queue.removeFirst()
            if case .finish(let outcome, let reason) = action {
                try await context.store.saveRelease(id: id, machine: machine!, journal: [.note("finished: \(outcome.rawValue): \(reason)")],
                                                    routing: nil, fences: fences, now: Date())
                _ = try? await context.store.releaseLock(name: context.lockName, holder: id)
                _ = try? await context.store.releaseLock(name: driverLock, holder: driver)
                onUpdate(.finished(outcome, reason: reason))
                await notifyFinished(outcome, reason: reason)
                return ReleaseSummary(id: id, service: context.service.name, version: machine!.plan.version, outcome: outcome, reason: reason,
                                      switchMilliseconds: switchTime.map(Self.milliseconds), rollbackMilliseconds: rollbackTime.map(Self.milliseconds),
                                      resumed: resumed)
            }
            let phaseBefore = machine!.phase
            let started = try await context.store.saveRelease(id: id, machine: machine!, journal: [try .actionStarted(action, message: Self.describe(action))],
                                                              routing: nil, fences: fences, now: Date())
            try await renewLeases()
            let (next, message, failed) = try await performRenewing(action)
            let routing = pendingRouting
            pendingRouting = nil
            try await context.store.saveRelease(id: id, machine: machine!,
                                                journal: [.completion(of: started.first?.sequence ?? 0, failed: failed, message: message)],
                                                routing: routing, fences: fences, now: Date())
            if machine!.phase != phaseBefore { onUpdate(.phase(machine!.phase, detail: message)) }
            queue += next
        }
        throw ReleaseMachineStalled(phase: machine?.phase.rawValue ?? "?")
    }

    struct ReleaseMachineStalled: Error, CustomStringConvertible {
        var phase: String
        var description: String { "the release stopped in phase \(phase) with nothing left to do" }
    }

    /// Performs an action while a side task keeps the leases renewed, however long the action takes
    /// (a deploy waits for readiness, a retire for streams to drain).
    func performRenewing(_ action: ReleaseMachine.Action) async throws -> ([ReleaseMachine.Action], String, Bool) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    try await self.renewLeases()
                }
            }
            defer { group.cancelAll() }
            return try await perform(action)
        }
    }

    /// Performs one action; returns the machine's next actions, a message for the journal, and whether it failed.
    func perform(_ action: ReleaseMachine.Action) async throws -> ([ReleaseMachine.Action], String, Bool) {
        switch action {
        case .deploy(let zones, let slot, let version):
            do {
                let started = try await context.instances.deploy(context.service, zones: zones, slot: slot, version: version, timeout: context.deployTimeout)
                for instance in started where !instance.adopted {
                    try await context.store.recordInstanceStarted(InstanceRecord(id: instance.id, pid: instance.pid, version: version,
                                                                                 command: context.service.command(for: instance.id, version: version), startedAt: Date()))
                }
                onUpdate(.deployed(started))
                try await refreshPreview()
                let plan = machine!.plan
                let missing = await context.prober.missingSeries(for: plan.preGates + plan.bakeGates, target: probeTarget(slot: slot, zones: zones))
                if !missing.isEmpty {
                    let message = "the new slot does not expose what its metric gates read: " + missing.joined(separator: "; ")
                    return (mutate { $0.deployed(ok: false, detail: message) }, message, true)
                }
                let adopted = started.filter(\.adopted).count
                let message = "\(started.count) instance(s) of \(slot.rawValue) ready in \(zones.joined(separator: ", "))" + (adopted > 0 ? " (\(adopted) adopted)" : "")
                return (mutate { $0.deployed(ok: true, detail: message) }, message, false)
            } catch {
                return (mutate { $0.deployed(ok: false, detail: "\(error)") }, "\(error)", true)
            }

        case .measure(let gate, let zones, let slot):
            if lastMeasured == gate { try await Task.sleep(for: context.retryInterval) }
            lastMeasured = gate
            guard let definition = machine!.plan.preGates.first(where: { $0.name == gate }) else { return ([], "unknown gate \(gate)", true) }
            let live = machine!.plan.before
            let target = ProbeTarget(listener: context.previewListener, instances: context.service.addresses(slot, zones: zones),
                                     baseline: zones.flatMap { context.service.addresses(live[$0] ?? slot.other, zones: [$0]) },
                                     readinessPath: context.service.health.readiness, metricsPath: context.service.health.metrics,
                                     metricNames: context.service.metricNames, accessLog: context.accessLog)
            let measurement = await context.prober.measure(definition, target: target)
            let next = mutate { $0.measured(gate: gate, measurement) }
            let verdict = machine!.gates[gate]?.verdict ?? .pending
            try await journalSample(gate: gate, stage: "pre-promotion", measurement, verdict)
            onUpdate(.measured(gate: gate, measurement, verdict, stage: "pre-promotion"))
            return (next, "\(gate): \(measurement)", measurement.phase != .pass)

        case .route(let routing):
            return try await route(routing)

        case .bake(let gates, let duration, let interval):
            return try await bake(gates: gates, duration: duration, interval: interval)

        case .awaitPromotion:
            onUpdate(.note("waiting for `yard release promote \(id)` (or abort)"))
            let switched = switchedTarget()
            while true {
                if let control = try await nextControl() {
                    return (mutate { $0.control(control) }, "\(control) requested", false)
                }
                if let down = await newSlotDown(switched) {
                    failingVerdictAt = clock.now
                    return (mutate { $0.newSlotDown(down) }, "new slot down: \(down)", true)
                }
                try await Task.sleep(for: .milliseconds(250))
                try await renewLeases()
            }

        case .retire(let zones, let slot, let delay):
            if delay > .ms(0) {
                onUpdate(.note("old slot \(slot.rawValue) stays up \(delay) before it drains"))
                let until = clock.now + delay.duration
                while clock.now < until {
                    try await Task.sleep(for: min(.milliseconds(500), until - clock.now))
                    try await renewLeases()
                }
            }
            // The old slot leaves the live upstream's backup servers before it drains.
            if machine!.phase == .scalingDown, !backupServers.isEmpty {
                backupServers = []
                do { try await refreshPreview() } catch { onUpdate(.note("could not drop the backup servers before the drain: \(error)")) }
                lastSwitchAt = clock.now
            }
            // Drain only once the switch is complete and a margin has passed: a drain during the
            // reload overlap fails requests that old workers still route to the draining slot.
            if let last = lastSwitchAt {
                let margin = Duration.milliseconds(300) - (clock.now - last)
                if margin > .zero { try await Task.sleep(for: margin) }
            }
            // A runner whose lease was taken over never stops the slot the next release may now serve from.
            try await context.store.checkFences(fences)
            let report = await context.instances.retire(context.service, zones: zones, slot: slot)
            for instance in context.service.instances(slot: slot) where zones.contains(instance.zone) {
                _ = try? await context.store.markInstanceStopped(instance, now: Date())
            }
            onUpdate(.retired(slot: slot, zones: zones, report))
            let message = "\(slot.rawValue) drained and stopped in \(zones.joined(separator: ", "))" + (report.ok ? "" : "; killed after the drain timeout: \(report.killed.map(\.name).joined(separator: ", "))")
            return (mutate { $0.retired(ok: report.ok, detail: message) }, message, !report.ok)

        case .finish:
            return ([], "finished", false)
        }
    }

    // MARK: route

    func route(_ routing: Routing) async throws -> ([ReleaseMachine.Action], String, Bool) {
        let rollingBack = machine!.phase == .rollingBack
        let live = context.service.liveAddresses(routing)
        // Never point the load balancer at a slot with an instance that is not ready.
        var notReady: [HostPort] = []
        let readiness = ReadinessChecker(client: YardHTTPClient.shared)
        for address in live where !(await readiness.isReady(address, path: context.service.health.readiness)) { notReady.append(address) }
        if !notReady.isEmpty {
            let message = "refusing to route to instances that are not ready: \(notReady.map(\.description).joined(separator: ", "))"
            return (mutate { $0.routed(ok: false, detail: message) }, message, true)
        }
        let preview = await previewAddresses(routing)
        // While the old slot is up, it backs the new one: every zone that moves keeps its old instances as backup servers.
        let before = machine!.plan.before
        let backup = rollingBack || !context.oldSlotBacksNewSlot ? [] : context.service.zones.filter { routing[$0] != before[$0] }
            .flatMap { context.service.addresses(before[$0] ?? .blue, zones: [$0]) }
        let config = NginxConfig(balancer: context.balancer, service: context.service.name, live: live, preview: preview,
                                 prefix: context.nginx.prefix, routingLabel: routing.label, backup: backup)
        do {
            // The last look before acting on the world: a runner whose lease was taken over does not reload nginx.
            try await context.store.checkFences(fences)
            let report = try await context.nginx.apply(config)
            backupServers = backup
            lastSwitchAt = clock.now
            var versions: [Slot: String] = [:]
            let plan = machine!.plan
            if !rollingBack { for zone in routing.keys where routing[zone] == plan.target(zone) { versions[plan.target(zone)] = plan.version } }
            // Committed with this action's completion, in the same transaction.
            pendingRouting = RoutingCommit(service: context.service.name, live: routing, versions: versions)
            let confirmed = await confirm(routing)
            if report.draining > Self.drainingWorkerWarning {
                onUpdate(.note("\(report.draining) old nginx workers are still draining streams from earlier reloads; each lives until its longest stream ends or worker_shutdown_timeout (\(context.balancer.drainTimeout)) passes"))
            }
            if rollingBack, let verdict = failingVerdictAt {
                rollbackTime = clock.now - verdict
                onUpdate(.routedBack(routing, afterVerdict: rollbackTime!))
            } else if !rollingBack {
                switchTime = report.complete
                onUpdate(.switched(routing, switchTime: report.complete, checkTime: report.checked))
            }
            let message = "routing \(routing.label): switch complete in \(Self.format(report.complete)) (nginx -t \(Self.format(report.checked)); \(report.draining) old worker(s) draining)" + (confirmed ? ", confirmed through \(context.balancer.clientListener)" : ", not yet confirmed through the listener")
            return (mutate { $0.routed(ok: true, detail: message) }, message, false)
        } catch {
            return (mutate { $0.routed(ok: false, detail: "\(error)") }, "\(error)", true)
        }
    }

    /// Re-renders nginx so that the preview listener reaches what is now deployed in the idle slot.
    func refreshPreview() async throws {
        guard let routing = try await context.store.routing(service: context.service.name) else { return }
        let config = NginxConfig(balancer: context.balancer, service: context.service.name, live: context.service.liveAddresses(routing.live),
                                 preview: await previewAddresses(routing.live), prefix: context.nginx.prefix, routingLabel: routing.live.label,
                                 backup: backupServers)
        try await context.nginx.apply(config)
    }

    /// The running instances of each zone's idle slot.
    func previewAddresses(_ routing: Routing) async -> [HostPort] {
        var result: [HostPort] = []
        for slot in Slot.allCases {
            let running = await context.instances.running(context.service, slot: slot)
            result += running.filter { routing[$0.id.zone] != slot }.map { context.service.connectAddress(of: $0.id) }
        }
        return result.sorted { $0.port < $1.port }
    }

    /// Asks through the live listener until an answer carries the new routing label.
    func confirm(_ routing: Routing) async -> Bool {
        for _ in 0..<20 {
            var request = HTTPClientRequest(url: "http://\(context.balancer.clientListener)\(context.service.health.liveness)")
            request.headers.add(name: "Connection", value: "close")
            if let response = try? await YardHTTPClient.shared.execute(request, timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
                if response.headers.first(name: "X-Yard-Routing") == routing.label { return true }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    // MARK: bake

    func bake(gates: [String], duration: TimeSpan, interval: TimeSpan) async throws -> ([ReleaseMachine.Action], String, Bool) {
        let plan = machine!.plan
        let definitions = plan.bakeGates.filter { gates.contains($0.name) }
        for gate in definitions { await context.prober.forget(gate: gate.name) }
        let start = clock.now
        let end = start + duration.duration
        let switched = plan.waves.prefix(machine!.switchedWaves).flatMap { $0 }
        let target = switchedTarget()
        while clock.now < end {
            let wake = min(clock.now + interval.duration, end)
            while clock.now < wake {
                if let control = try await nextControl() {
                    let next = mutate { $0.control(control) }
                    if !next.isEmpty { return (next, "\(control) requested during the bake", false) }
                }
                // Liveness between the gate intervals: a dead new slot fails the bake at once.
                if let down = await newSlotDown(target) {
                    failingVerdictAt = clock.now
                    return (mutate { $0.newSlotDown(down) }, "new slot down: \(down)", true)
                }
                try await Task.sleep(for: min(.milliseconds(250), wake - clock.now))
                try await renewLeases()
            }
            // Once more right before the gates, so that a dead slot is a failure, never a scrape that could not be taken.
            if let down = await newSlotDown(target) {
                failingVerdictAt = clock.now
                return (mutate { $0.newSlotDown(down) }, "new slot down: \(down)", true)
            }
            var open: [Slot: Int] = [:]
            let newSlot = plan.target(switched.first ?? "")
            open[newSlot] = await context.prober.openStreams(target.instances, metricsPath: context.service.health.metrics)
            open[newSlot.other] = await context.prober.openStreams(target.baseline, metricsPath: context.service.health.metrics)
            onUpdate(.bakeProgress(elapsed: clock.now - start, total: duration.duration, openStreams: open))
            for gate in definitions {
                let measurement = await context.prober.measure(gate, target: target)
                let next = mutate { $0.sampled(gate: gate.name, measurement) }
                let verdict = machine!.gates[gate.name]?.verdict ?? .pending
                try await journalSample(gate: gate.name, stage: "bake", measurement, verdict)
                onUpdate(.measured(gate: gate.name, measurement, verdict, stage: "bake"))
                if !next.isEmpty {
                    failingVerdictAt = clock.now
                    return (next, "\(gate.name): \(measurement)", true)
                }
            }
        }
        let next = mutate { $0.bakeElapsed() }
        if machine!.phase == .rollingBack { failingVerdictAt = clock.now }
        return (next, "bake of \(duration) over", false)
    }

    /// Keeps one measurement in the journal (`GateSampleJournal`), under the release's fences: what the gates
    /// measured over time stays on record, beside the verdict the machine keeps.
    func journalSample(gate: String, stage: String, _ measurement: GateMeasurement, _ verdict: GateVerdict) async throws {
        let sample = GateSampleJournal.Sample(gate: gate, stage: stage, measurement: measurement, verdict: verdict)
        try await context.store.appendJournal(release: id, [try GateSampleJournal.draft(sample)], fences: fences, now: Date())
    }

    // MARK: control requests

    /// A request a person made since the last look: the typed payload of a control event (`ReleaseControlJournal`).
    func nextControl() async throws -> ReleaseControl? {
        let entries = try await context.store.journal(release: id)
        for entry in entries where entry.sequence > controlSequence {
            controlSequence = entry.sequence
            if let control = ReleaseControlJournal.read(entry) { return control }
        }
        return nil
    }

    // MARK: helpers

    func mutate(_ body: (inout ReleaseMachine) -> [ReleaseMachine.Action]) -> [ReleaseMachine.Action] {
        var copy = machine!
        let actions = body(&copy)
        machine = copy
        return actions
    }

    static func describe(_ action: ReleaseMachine.Action) -> String {
        switch action {
        case .deploy(let zones, let slot, let version): "deploy \(version) to \(slot.rawValue) in \(zones.joined(separator: ", "))"
        case .measure(let gate, _, let slot): "measure \(gate) against \(slot.rawValue)"
        case .route(let routing): "route \(routing.label)"
        case .bake(let gates, let duration, let interval): "bake \(duration) sampling \(gates.joined(separator: ", ")) every \(interval)"
        case .awaitPromotion: "wait for promotion"
        case .retire(let zones, let slot, let delay): "retire \(slot.rawValue) in \(zones.joined(separator: ", ")) after \(delay)"
        case .finish(let outcome, let reason): "finish \(outcome.rawValue): \(reason)"
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.milliseconds
    }

    static func format(_ duration: Duration) -> String { String(format: "%.0f ms", milliseconds(duration)) }
}

import AsyncHTTPClient
