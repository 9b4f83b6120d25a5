/// A blue-green release as a state machine, in the manner of a protocol state machine: every event
/// is a `mutating func` that returns the actions to perform; the machine never deploys, reloads,
/// measures, sleeps or logs. The runner performs the actions, journals each before it acts, and
/// feeds the outcome back as the next event. Crash recovery is one more event: `restarted()`
/// re-issues the current phase's actions, each of which is safe to repeat.
public struct ReleaseMachine: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        case planned, deploying, verifying, switching, baking, awaitingPromotion, scalingDown, promoted
        case rollingBack, rolledBack, failed

        public var isTerminal: Bool { self == .promoted || self == .rolledBack || self == .failed }
    }

    public enum Outcome: String, Sendable, Hashable, Codable { case promoted, rolledBack = "rolled-back", failed }

    public enum Action: Sendable, Hashable, Codable {
        /// Start the new version in `slot` of these zones (adopting instances already running) and wait until ready.
        case deploy(zones: [String], slot: Slot, version: String)
        /// Take one measurement of a pre-promotion gate against the idle slot, through the preview listener.
        case measure(gate: String, zones: [String], slot: Slot)
        /// Make the load balancer route by this table: one validated, atomic reload, then confirmed.
        case route(Routing)
        /// Sample the bake gates every `interval` for `duration`, then report `bakeElapsed`.
        case bake(gates: [String], duration: TimeSpan, interval: TimeSpan)
        /// Wait for a person: `promote` or `abort`.
        case awaitPromotion
        /// Drain and stop `slot` in these zones, after `delay`.
        case retire(zones: [String], slot: Slot, delay: TimeSpan)
        /// The release is over.
        case finish(Outcome, reason: String)
    }

    public private(set) var plan: ReleasePlan
    public private(set) var phase: Phase = .planned
    /// The wave being deployed, verified, switched or baked.
    public private(set) var wave = 0
    /// Waves whose zones route to the new slot.
    public private(set) var switchedWaves = 0
    public private(set) var paused = false
    public private(set) var gates: [String: GateTracker] = [:]
    public private(set) var reason: String?
    public private(set) var outcome: Outcome?
    /// Why a person aborted it, when one did: its rollback is an abort, not a failed gate.
    public private(set) var abortReason: String?
    /// Set while rolling back: have the zones been routed back yet?
    public private(set) var routedBack = false

    public init(plan: ReleasePlan) { self.plan = plan }

    var waveZones: [String] { plan.waves.indices.contains(wave) ? plan.waves[wave] : [] }
    var zonesTouched: [String] { plan.waves.prefix(wave + 1).flatMap { $0 } }

    // MARK: events

    public mutating func start() -> [Action] {
        guard phase == .planned else { return [] }
        return enterDeploying()
    }

    /// The new slot of the current wave is ready, or could not be made ready.
    public mutating func deployed(ok: Bool, detail: String) -> [Action] {
        guard phase == .deploying else { return [] }
        guard ok else { return rollBack("deploy failed: \(detail)") }
        return enterVerifying()
    }

    /// One measurement of a pre-promotion gate.
    public mutating func measured(gate name: String, _ measurement: GateMeasurement) -> [Action] {
        guard phase == .verifying, var tracker = gates[name] else { return [] }
        let verdict = tracker.record(measurement)
        gates[name] = tracker
        switch verdict {
        case .failed(let why): return rollBack("pre-promotion gate failed: \(why)")
        case .pending: return paused ? [] : [.measure(gate: name, zones: waveZones, slot: plan.target(waveZones.first ?? ""))]
        case .passed:
            guard gates.values.allSatisfy({ $0.verdict == .passed }) else { return [] }
            return paused ? [] : enterSwitching()
        }
    }

    /// The load balancer now routes as asked, or the reload failed (the old routing stands).
    public mutating func routed(ok: Bool, detail: String) -> [Action] {
        switch phase {
        case .switching:
            guard ok else { return rollBack("switch failed: \(detail)") }
            switchedWaves = wave + 1
            return enterBaking()
        case .rollingBack where !routedBack:
            guard ok else {
                phase = .failed
                outcome = .failed
                reason = (reason.map { $0 + "; " } ?? "") + "could not route back to the old slot: \(detail)"
                return [.finish(.failed, reason: reason!)]
            }
            routedBack = true
            switchedWaves = 0
            return [.retire(zones: zonesTouched, slot: newSlot(zonesTouched), delay: .ms(0))]
        default:
            return []
        }
    }

    /// One sample of a bake gate.
    public mutating func sampled(gate name: String, _ measurement: GateMeasurement) -> [Action] {
        guard phase == .baking, var tracker = gates[name] else { return [] }
        let verdict = tracker.record(measurement)
        gates[name] = tracker
        if case .failed(let why) = verdict { return rollBack("bake gate failed: \(why)") }
        return []
    }

    /// The bake of the current wave is over.
    public mutating func bakeElapsed() -> [Action] {
        guard phase == .baking else { return [] }
        for name in gates.keys.sorted() {
            if case .failed(let why) = gates[name]!.conclude() { return rollBack("bake gate failed: \(why)") }
        }
        if wave + 1 < plan.waves.count {
            wave += 1
            if paused { phase = .deploying; return [] }
            return enterDeploying()
        }
        if plan.manualPromotion {
            phase = .awaitingPromotion
            return [.awaitPromotion]
        }
        return enterScalingDown()
    }

    /// An instance of the new slot is gone: its process exited, or it refuses connections. That is a
    /// failure, not a missing measurement: traffic goes back at once, while the bake or the wait for a
    /// person still has the old slot up.
    public mutating func newSlotDown(_ detail: String) -> [Action] {
        switch phase {
        case .baking, .awaitingPromotion:
            return rollBack("new slot down: \(detail)")
        case .planned, .deploying, .verifying, .switching, .scalingDown, .promoted, .rollingBack, .rolledBack, .failed:
            return []
        }
    }

    /// A person promotes: skips what is left of the bake, or answers `awaitPromotion`.
    public mutating func promote() -> [Action] {
        switch phase {
        case .awaitingPromotion: return enterScalingDown()
        case .baking where wave + 1 == plan.waves.count:
            for name in gates.keys { if case .failed(let why) = gates[name]!.verdict { return rollBack("bake gate failed: \(why)") } }
            return enterScalingDown()
        default: return []
        }
    }

    /// A person aborts: traffic goes back and the new slot is retired.
    public mutating func abort(reason why: String) -> [Action] {
        guard !phase.isTerminal, phase != .rollingBack, phase != .scalingDown else { return [] }
        abortReason = why
        return rollBack("aborted: \(why)")
    }

    /// Another release of the service took the service's lock after this one's lease ran out (its driver froze or
    /// vanished): this one is over, failed, and acts no more. Its slots now belong to the release that took over.
    public mutating func superseded(by release: String) -> [Action] {
        guard !phase.isTerminal else { return [] }
        reason = "superseded by release \(release): this release's lease on the service ran out while it was \(phase.rawValue)"
        phase = .failed
        outcome = .failed
        return []
    }

    public mutating func pause() -> [Action] {
        guard !phase.isTerminal else { return [] }
        paused = true
        return []
    }

    public mutating func resume() -> [Action] {
        guard paused else { return [] }
        paused = false
        if phase == .verifying {
            if gates.values.allSatisfy({ $0.verdict == .passed }) { return enterSwitching() }
            let slot = plan.target(waveZones.first ?? "")
            return gates.values.filter { $0.verdict == .pending }.map(\.name).sorted().map { .measure(gate: $0, zones: waveZones, slot: slot) }
        }
        return restarted()
    }

    /// A slot was retired (drained and stopped), or could not be.
    public mutating func retired(ok: Bool, detail: String) -> [Action] {
        switch phase {
        case .scalingDown:
            phase = .promoted
            outcome = .promoted
            reason = ok ? "promoted \(plan.version)" : "promoted \(plan.version); the old slot did not stop cleanly: \(detail)"
            return [.finish(.promoted, reason: reason!)]
        case .rollingBack where routedBack:
            phase = .rolledBack
            outcome = .rolledBack
            if !ok { reason = (reason ?? "") + "; the new slot did not stop cleanly: \(detail)" }
            return [.finish(.rolledBack, reason: reason ?? "rolled back")]
        default:
            return []
        }
    }

    /// The control plane started again with this machine restored from the journal: the current
    /// phase's actions are issued again. Each is idempotent: deploy adopts running instances, route
    /// re-renders the same table, a bake starts over, retire stops what is still running.
    public mutating func restarted() -> [Action] {
        switch phase {
        case .planned: return start()
        case .deploying: return enterDeploying()
        case .verifying: return enterVerifying()
        case .switching: return enterSwitching()
        case .baking: return enterBaking()
        case .awaitingPromotion: return [.awaitPromotion]
        case .scalingDown: return enterScalingDown()
        case .rollingBack:
            return routedBack ? [.retire(zones: zonesTouched, slot: newSlot(zonesTouched), delay: .ms(0))] : [.route(plan.before)]
        case .promoted, .rolledBack, .failed:
            return [.finish(outcome ?? .failed, reason: reason ?? phase.rawValue)]
        }
    }

    // MARK: transitions

    private mutating func enterDeploying() -> [Action] {
        phase = .deploying
        gates = [:]
        return [.deploy(zones: waveZones, slot: plan.target(waveZones.first ?? ""), version: plan.version)]
    }

    private mutating func enterVerifying() -> [Action] {
        phase = .verifying
        gates = Dictionary(uniqueKeysWithValues: plan.preGates.map { ($0.name, GateTracker($0, mode: .check)) })
        if gates.isEmpty { return enterSwitching() }
        return plan.preGates.map { .measure(gate: $0.name, zones: waveZones, slot: plan.target(waveZones.first ?? "")) }
    }

    private mutating func enterSwitching() -> [Action] {
        phase = .switching
        return [.route(plan.routing(afterWaves: wave + 1))]
    }

    private mutating func enterBaking() -> [Action] {
        phase = .baking
        gates = Dictionary(uniqueKeysWithValues: plan.bakeGates.map { ($0.name, GateTracker($0, mode: .bake)) })
        if gates.isEmpty || plan.bakeDuration.milliseconds == 0 { return bakeElapsed() }
        return [.bake(gates: plan.bakeGates.map(\.name), duration: plan.bakeDuration, interval: plan.bakeInterval)]
    }

    private mutating func enterScalingDown() -> [Action] {
        phase = .scalingDown
        if plan.keepWarm {
            phase = .promoted
            outcome = .promoted
            reason = "promoted \(plan.version); the old slot is kept warm"
            return [.finish(.promoted, reason: reason!)]
        }
        let zones = plan.waves.flatMap { $0 }
        return [.retire(zones: zones, slot: oldSlot(zones), delay: plan.scaleDownDelay)]
    }

    private mutating func rollBack(_ why: String) -> [Action] {
        reason = why
        phase = .rollingBack
        routedBack = false
        if switchedWaves == 0 {
            // Traffic never moved: nothing to route back, only the new slot to retire.
            routedBack = true
            return [.retire(zones: zonesTouched, slot: newSlot(zonesTouched), delay: .ms(0))]
        }
        return [.route(plan.before)]
    }

    private func newSlot(_ zones: [String]) -> Slot { plan.target(zones.first ?? "") }
    private func oldSlot(_ zones: [String]) -> Slot { plan.target(zones.first ?? "").other }
}
