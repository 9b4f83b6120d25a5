import Foundation

/// How a drill ended: every objective met, one missed, stopped by a guardrail, or the drill itself
/// could not run (steady state not reached, fault not injected, restore failed).
public enum DrillOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case passed, failed, aborted, error

    /// The outcome of a drill that ran to its end: aborted when a guardrail tripped, failed when an
    /// objective was missed, passed otherwise.
    public static func judged(verdicts: [ObjectiveVerdict], guardrailTrip: GuardrailTrip?) -> DrillOutcome {
        if guardrailTrip != nil { return .aborted }
        return verdicts.allSatisfy(\.passed) ? .passed : .failed
    }
}

/// One step of a drill run, as the runner journals it.
public struct DrillStep: Sendable, Hashable, Codable {
    public var at: Date
    /// Such as `steady-state`, `traffic`, `inject`, `observe`, `restore`, `steady-state-after`.
    public var step: String
    /// `started`, `done`, `failed` or `skipped`.
    public var status: String
    public var detail: String?

    public init(at: Date, step: String, status: String, detail: String? = nil) {
        self.at = at
        self.step = step
        self.status = status
        self.detail = detail
    }
}

/// The whole report of a drill run: stored as JSON in the run's record, rendered as text (`text`)
/// and as a self-contained HTML page (`html()`).
public struct DrillReport: Sendable, Hashable, Codable {
    public var id: String, playbook: String, topology: String
    public var faultKind: String, faultDescription: String
    public var startedAt: Date, finishedAt: Date?
    public var outcome: DrillOutcome
    public var steps: [DrillStep]
    public var seconds: [DrillSecond]
    public var measurements: DrillMeasurements?
    public var verdicts: [ObjectiveVerdict]
    public var guardrailTrip: GuardrailTrip?
    /// What brought service back, such as "nginx passive health (max_fails=1 fail_timeout=5s) and
    /// retry on the next upstream", or "restore".
    public var recoveryMechanism: String?
    /// The fault's restores were still pending when the runner stopped, and were run at a later start.
    public var restoredAfterCrash: Bool
    public var notes: [String]
    /// The seconds of traffic (`DrillSecond.second`) watched while the fault was in place, first and last (JSON
    /// `[first, last]`); nil before the fault. Lets a viewer in another process mark them as a live view does.
    public var faultedSeconds: ClosedRange<Int>?
    /// An `lb-node-kill` of a keepalived pair: the virtual address's move and what users saw through it.
    public var vipFailover: VIPFailover?
    /// A `db-primary-loss`: what the write probe saw.
    public var writes: WriteProbeReport?

    /// Whether second `second` was watched with the fault in place.
    public func faulted(_ second: Int) -> Bool { faultedSeconds?.contains(second) ?? false }

    public init(id: String, playbook: String, topology: String, faultKind: String, faultDescription: String,
                startedAt: Date, finishedAt: Date? = nil, outcome: DrillOutcome, steps: [DrillStep] = [], seconds: [DrillSecond] = [],
                measurements: DrillMeasurements? = nil, verdicts: [ObjectiveVerdict] = [], guardrailTrip: GuardrailTrip? = nil,
                recoveryMechanism: String? = nil, restoredAfterCrash: Bool = false, notes: [String] = []) {
        self.id = id
        self.playbook = playbook
        self.topology = topology
        self.faultKind = faultKind
        self.faultDescription = faultDescription
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.steps = steps
        self.seconds = seconds
        self.measurements = measurements
        self.verdicts = verdicts
        self.guardrailTrip = guardrailTrip
        self.recoveryMechanism = recoveryMechanism
        self.restoredAfterCrash = restoredAfterCrash
        self.notes = notes
    }

    /// The objectives that were missed.
    public var failedObjectives: [String] { verdicts.filter { !$0.passed }.map(\.objective) }

    /// One word for a listing: the outcome, with the missed objectives when it failed.
    public var verdictSummary: String {
        let missed = failedObjectives
        return missed.isEmpty || outcome != .failed ? outcome.rawValue : "failed (\(missed.joined(separator: ", ")))"
    }

    /// Requests sent, finished well and badly, over the whole traffic.
    public var totals: (sent: Int, succeeded: Int, failed: Int, streamsOpened: Int, streamsCut: Int) {
        seconds.reduce((0, 0, 0, 0, 0)) { ($0.0 + $1.sent, $0.1 + $1.succeeded, $0.2 + $1.failed, $0.3 + $1.streamsOpened, $0.4 + $1.streamsCut) }
    }
}
