/// How a drill ended: every objective met, one missed, cut short by a guardrail (or a person), or
/// unable to run (steady state not met, fault or restore failed).
public enum DrillOutcome: String, Sendable, Hashable, Codable, CaseIterable { case passed, failed, aborted, error }
