/// One objective of a drill playbook against what was measured.
public struct ObjectiveVerdict: Sendable, Hashable, Codable {
    /// `rto`, `success rate`, `requests lost` or `streams cut`.
    public var objective: String
    public var target: String
    public var measured: String
    public var passed: Bool

    public init(objective: String, target: String, measured: String, passed: Bool) {
        self.objective = objective
        self.target = target
        self.measured = measured
        self.passed = passed
    }
}

extension Objectives {
    /// The verdict on each objective the playbook sets:
    ///
    /// - rto: recovered, on its own (before the restore), within the objective. A recovery that
    ///   came only after the restore fails: the drill did not show that the fleet recovers by itself.
    /// - success rate: the success rate of all requests that finished while the fault was in place
    ///   is at or above the objective (not the lowest second: a few bad seconds while the fleet
    ///   notices are what the RTO measures). No finished request during the fault fails.
    /// - requests lost, streams cut: at most the objective, from the injection on.
    /// - writers' rto (a `db-primary-loss`): the kill to the first write acknowledged by the new primary, within `rto`.
    /// - lost writes: acknowledged before the kill and absent on the new primary, at most `maxLostWrites`; unknown (not
    ///   read back) fails.
    /// - failover manager (a `db-primary-loss` whose datastore has one): a member answered as primary within the wait.
    public func verdicts(_ m: DrillMeasurements, writes: WriteProbeReport? = nil) -> [ObjectiveVerdict] {
        var verdicts: [ObjectiveVerdict] = []
        let rtoMeasured: String
        if let measured = m.rto {
            rtoMeasured = DrillFormat.seconds(measured) + (m.recoveredBeforeRestore ? "" : ", only after the restore")
        } else {
            rtoMeasured = "not recovered"
        }
        let rtoPassed = m.rto.map { $0 <= rto.seconds + 1e-9 && m.recoveredBeforeRestore } ?? false
        verdicts.append(ObjectiveVerdict(objective: "rto", target: "≤ \(rto)", measured: rtoMeasured, passed: rtoPassed))

        let rateMeasured = m.faultSuccessRate.map {
            DrillFormat.percent($0) + " during the fault" + (m.lowestSuccessRate.map { " (lowest second \(DrillFormat.percent($0)))" } ?? "")
        } ?? "no request finished during the fault"
        verdicts.append(ObjectiveVerdict(objective: "success rate", target: "≥ \(minSuccessRate)", measured: rateMeasured,
                                         passed: m.faultSuccessRate.map { $0 >= minSuccessRate.value } ?? false))
        if let maxRequestsLost {
            verdicts.append(ObjectiveVerdict(objective: "requests lost", target: "≤ \(maxRequestsLost)", measured: "\(m.requestsLost)",
                                             passed: m.requestsLost <= maxRequestsLost))
        }
        if let maxStreamsCut {
            verdicts.append(ObjectiveVerdict(objective: "streams cut", target: "≤ \(maxStreamsCut)", measured: "\(m.streamsCut)",
                                             passed: m.streamsCut <= maxStreamsCut))
        }
        if let writes {
            let measured = writes.firstWriteOnNewPrimary.map { DrillFormat.milliseconds($0 * 1000) + " to the first write on the new primary" }
                ?? "no write acknowledged by the new primary"
            verdicts.append(ObjectiveVerdict(objective: "writers' rto", target: "≤ \(rto)", measured: measured,
                                             passed: writes.firstWriteOnNewPrimary.map { $0 <= rto.seconds + 1e-9 } ?? false))
            if let maxLostWrites {
                verdicts.append(ObjectiveVerdict(objective: "lost writes", target: "≤ \(maxLostWrites)",
                                                 measured: writes.lost.map { "\($0) acknowledged, then missing on the new primary" } ?? "unknown: \(writes.readBackFailure ?? "")",
                                                 passed: writes.lost.map { $0 <= maxLostWrites } ?? false))
            }
            if let waited = writes.awaitedManager {
                let wait = DrillFormat.milliseconds(waited * 1000)
                verdicts.append(ObjectiveVerdict(objective: "failover manager", target: "a member primary within \(wait) of the loss",
                                                 measured: writes.promotedAfter.map { "\(writes.newPrimary) primary after \(DrillFormat.milliseconds($0 * 1000))" }
                                                     ?? "no member primary in the \(wait) waited",
                                                 passed: writes.promotedAfter.map { $0 <= waited + 1e-9 } ?? false))
            }
        }
        return verdicts
    }
}
