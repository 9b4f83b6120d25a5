/// A disaster drill as a state machine, like `ReleaseMachine`: every event is a `mutating func` that
/// returns the actions to perform; the machine never injects, measures, sleeps or logs.
///
/// steady state checked → traffic started → restore actions journaled → fault injected → observed
/// (guardrails may cut it short) → restored → settled (traffic watched until it recovers) → traffic
/// stopped → steady state checked again → analysed → finished.
///
/// Once the restores are journaled, every path goes through `restore`: a drill never ends with its
/// fault in place.
public struct DrillMachine: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        case planned, checkingBefore, startingTraffic, journalingRestores, injecting, observing, restoring, settling
        case stoppingTraffic, checkingAfter, analysing, finished
    }

    public enum Stage: String, Sendable, Hashable, Codable { case before, after }

    public enum Action: Sendable, Hashable, Codable {
        /// Probe the steady state through the load balancer.
        case checkSteadyState(Stage)
        /// Start the playbook's traffic through the load balancer; it runs until `stopTraffic`.
        case startTraffic
        /// Work out the fault's targets and write their undo actions to the journal.
        case journalRestores
        /// Break what the playbook says.
        case inject
        /// Watch the traffic every second for `duration`, checking the guardrails; report `faultWindowEnded` or `guardrailTripped`.
        case observe(duration: TimeSpan)
        /// Run the journaled undo actions, newest first.
        case restore(reason: String)
        /// Keep watching the traffic after the restore until it has recovered, at most `limit`.
        case settle(limit: TimeSpan)
        case stopTraffic
        /// Measure the traffic against the objectives.
        case analyse
        case finish(DrillOutcome, reason: String)
    }

    public private(set) var phase: Phase = .planned
    public let duration: TimeSpan
    public let settleLimit: TimeSpan
    public private(set) var outcome: DrillOutcome?
    public private(set) var reason: String?
    /// Set once something went wrong that decides the outcome ahead of the analysis.
    private var pending: Pending?
    /// After this failure the steady state is not checked again: nothing was injected, or the restore failed.
    private var endAfterTraffic = false
    /// True once the undo actions are in the journal: from then on the fault must be restored.
    public private(set) var restoresJournaled = false
    /// Stopped while restoring: no wait for the recovery after the restore.
    private var skipSettle = false

    private struct Pending: Sendable, Hashable, Codable { var outcome: DrillOutcome, reason: String }

    public init(duration: TimeSpan, settleLimit: TimeSpan = .seconds(30)) {
        self.duration = duration
        self.settleLimit = settleLimit
    }

    // MARK: events

    public mutating func start() -> [Action] {
        guard phase == .planned else { return [] }
        phase = .checkingBefore
        return [.checkSteadyState(.before)]
    }

    public mutating func steadyState(ok: Bool, detail: String) -> [Action] {
        switch phase {
        case .checkingBefore:
            guard ok else { return finish(.error, "steady state not met before the fault, so nothing was injected: \(detail)") }
            phase = .startingTraffic
            return [.startTraffic]
        case .checkingAfter:
            if !ok, pending == nil { pending = Pending(outcome: .failed, reason: "steady state not back after the restore: \(detail)") }
            phase = .analysing
            return [.analyse]
        default:
            return []
        }
    }

    public mutating func trafficStarted(ok: Bool, detail: String) -> [Action] {
        guard phase == .startingTraffic else { return [] }
        guard ok else {
            pending = Pending(outcome: .error, reason: "traffic could not start: \(detail)")
            endAfterTraffic = true
            phase = .stoppingTraffic
            return [.stopTraffic]
        }
        phase = .journalingRestores
        return [.journalRestores]
    }

    public mutating func restoresWritten(ok: Bool, detail: String) -> [Action] {
        guard phase == .journalingRestores else { return [] }
        guard ok else {
            pending = Pending(outcome: .error, reason: "the restore actions could not be journaled, so nothing was injected: \(detail)")
            endAfterTraffic = true
            phase = .stoppingTraffic
            return [.stopTraffic]
        }
        restoresJournaled = true
        phase = .injecting
        return [.inject]
    }

    public mutating func injected(ok: Bool, detail: String) -> [Action] {
        guard phase == .injecting else { return [] }
        guard ok else {
            pending = Pending(outcome: .error, reason: "the fault could not be injected: \(detail)")
            return enterRestoring("the injection failed")
        }
        phase = .observing
        return [.observe(duration: duration)]
    }

    public mutating func faultWindowEnded() -> [Action] {
        guard phase == .observing else { return [] }
        return enterRestoring("the fault's \(duration) ended")
    }

    public mutating func guardrailTripped(_ why: String) -> [Action] {
        guard phase == .observing else { return [] }
        pending = Pending(outcome: .aborted, reason: "guardrail: \(why)")
        return enterRestoring("guardrail: \(why)")
    }

    /// Someone stopped the drill (a person's abort, a newer run replacing it, or the daemon shutting down). The run
    /// ends `aborted` (unless something worse already decided it): before the fault, traffic stops and nothing is
    /// injected; with the fault in place, it is restored at once; once restored, the wait for recovery is cut short.
    /// The actions returned replace those not performed yet (they are for the phase the machine has just left).
    public mutating func cancelled(_ why: String) -> [Action] {
        switch phase {
        case .planned, .checkingBefore, .startingTraffic, .journalingRestores:
            pending = Pending(outcome: .aborted, reason: why)
            endAfterTraffic = true
            phase = .stoppingTraffic
            return [.stopTraffic]
        case .injecting, .observing:
            pending = Pending(outcome: .aborted, reason: why)
            return enterRestoring(why)
        case .restoring:
            // The restore runs to its end; then traffic stops without waiting for the recovery.
            if pending == nil { pending = Pending(outcome: .aborted, reason: why) }
            skipSettle = true
            return []
        case .settling:
            if pending == nil { pending = Pending(outcome: .aborted, reason: why) }
            phase = .stoppingTraffic
            return [.stopTraffic]
        case .stoppingTraffic, .checkingAfter, .analysing:
            if pending == nil { pending = Pending(outcome: .aborted, reason: why) }
            return []
        case .finished:
            return []
        }
    }

    public mutating func restored(ok: Bool, detail: String) -> [Action] {
        guard phase == .restoring else { return [] }
        guard ok else {
            pending = Pending(outcome: .error, reason: "the restore failed (its actions stay pending for the next start): \(detail)")
            endAfterTraffic = true
            phase = .stoppingTraffic
            return [.stopTraffic]
        }
        guard !skipSettle else {
            phase = .stoppingTraffic
            return [.stopTraffic]
        }
        phase = .settling
        return [.settle(limit: settleLimit)]
    }

    public mutating func settled() -> [Action] {
        guard phase == .settling else { return [] }
        phase = .stoppingTraffic
        return [.stopTraffic]
    }

    public mutating func trafficStopped() -> [Action] {
        guard phase == .stoppingTraffic else { return [] }
        if endAfterTraffic, let pending { return finish(pending.outcome, pending.reason) }
        phase = .checkingAfter
        return [.checkSteadyState(.after)]
    }

    /// The measurements against the objectives: all met, or the first one missed.
    public mutating func analysed(objectivesMet: Bool, detail: String) -> [Action] {
        guard phase == .analysing else { return [] }
        if let pending { return finish(pending.outcome, pending.reason) }
        return objectivesMet ? finish(.passed, detail) : finish(.failed, detail)
    }

    // MARK: transitions

    private mutating func enterRestoring(_ why: String) -> [Action] {
        phase = .restoring
        return [.restore(reason: why)]
    }

    private mutating func finish(_ outcome: DrillOutcome, _ reason: String) -> [Action] {
        phase = .finished
        self.outcome = outcome
        self.reason = reason
        return [.finish(outcome, reason: reason)]
    }
}
