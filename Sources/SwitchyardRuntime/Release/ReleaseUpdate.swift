import SwitchyardCore

/// What a running release reports as it goes, for a live view and for logs.
public enum ReleaseUpdate: Sendable {
    case started(id: String, plan: ReleasePlan, resumed: Bool)
    case phase(ReleaseMachine.Phase, detail: String)
    case deployed([RunningInstance])
    case measured(gate: String, GateMeasurement, GateVerdict, stage: String)
    case switched(Routing, switchTime: Duration, checkTime: Duration)
    case routedBack(Routing, afterVerdict: Duration)
    case retired(slot: Slot, zones: [String], RetireReport)
    /// Bake progress, with the streams open on the new and the old slot.
    case bakeProgress(elapsed: Duration, total: Duration, openStreams: [Slot: Int])
    case note(String)
    case finished(ReleaseMachine.Outcome, reason: String)
}

/// The figures a release ends with.
public struct ReleaseSummary: Sendable, Codable, Hashable {
    public var id: String
    public var service: String
    public var version: String
    public var outcome: ReleaseMachine.Outcome
    public var reason: String
    /// HUP → old nginx workers stopped accepting, for the switch to the new slot.
    public var switchMilliseconds: Double?
    /// Failing verdict → traffic back on the old slot.
    public var rollbackMilliseconds: Double?
    public var resumed: Bool
}
