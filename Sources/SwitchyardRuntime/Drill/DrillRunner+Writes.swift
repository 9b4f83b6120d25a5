import Foundation
import SwitchyardCore

/// A `db-primary-loss`'s write probe: started a moment before the kill (so that there are acknowledged writes to lose),
/// stopped and read back from the new primary before the restore, measured into the report.
struct WriteWatch: Sendable {
    var plan: WriteProbePlan
    var probe: WriteProbe
    /// Just before the injection, and the failover's own instants once it ran.
    var faultAt: ContinuousClock.Instant?
    var failover: FailoverOutcome?
}

extension DrillRunner {
    /// Writes that go in before the kill.
    public static let writeWarmUp: Duration = .seconds(1)

    /// Starts the probe when the plan has one; nil, or why it could not start (then nothing is injected).
    func beginWriteProbe(_ plan: FaultPlan) async -> String? {
        guard let probePlan = plan.writeProbe else { return nil }
        let probe = WriteProbe(clients: probePlan.clients, run: id, perSecond: probePlan.perSecond)
        do { try await probe.start() } catch {
            return "the write probe could not start through \(probePlan.clients): \(error)"
        }
        writeWatch = WriteWatch(plan: probePlan, probe: probe)
        await step("writes", "started", "\(probePlan.perSecond) numbered writes/s through \(probePlan.clients)")
        try? await Task.sleep(for: Self.writeWarmUp)
        writeWatch?.faultAt = ContinuousClock.now
        return nil
    }

    func noteFailover(_ outcome: FailoverOutcome?) {
        guard let outcome else { return }
        writeWatch?.failover = outcome
    }

    /// Before the restore: the probe stopped, its rows read back from the primary now, the writers' figures in the report.
    func recordWrites() async {
        guard let watch = writeWatch else { return }
        writeWatch = nil
        let (attempts, ended) = await watch.probe.stop()
        let readBack = await watch.probe.readBack()
        let start = watch.probe.startedAt
        let faultAt = watch.failover?.killedAt ?? watch.faultAt ?? ended
        let present: Set<Int>?, failure: String?
        switch readBack {
        case .success(let found): present = found; failure = nil
        case .failure(let why): present = nil; failure = why.description
        }
        // The member that answered as primary (a failover manager's choice), else the replica the plan expected to be.
        let newPrimary = watch.failover?.promoted?.member.address ?? watch.plan.newPrimary
        var writes = WriteProbeReport.analyze(attempts: attempts, faultAt: (faultAt - start).seconds, endedAt: (ended - start).seconds,
                                              target: "\(watch.plan.clients)", perSecond: watch.plan.perSecond,
                                              oldPrimary: "\(watch.plan.oldPrimary)", newPrimary: "\(newPrimary)",
                                              promotedAfter: watch.failover.flatMap { failover in failover.promoted.map { ($0.at - failover.killedAt).seconds } },
                                              present: present, readBackFailure: failure)
        writes.awaitedManager = watch.failover?.awaitedManager?.seconds
        report.writes = writes
        let ok = writes.firstWriteOnNewPrimary != nil && writes.lost != nil
        await step("writes", ok ? "done" : "failed", writes.lines.joined(separator: "; "))
    }
}
