import SwitchyardCore

/// What a running drill tells whoever watches it (the CLI's live view, the daemon's log).
public enum DrillProgress: Sendable {
    case started(id: String, fault: String)
    case step(DrillStep)
    /// One second of traffic; `faulted` while the fault is in place.
    case second(DrillSecond, faulted: Bool)
    case finished(DrillReport)
}
