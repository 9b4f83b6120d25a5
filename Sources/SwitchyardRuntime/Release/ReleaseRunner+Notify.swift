import Foundation
import SwitchyardCore

extension ReleaseRunner {
    /// Hands a notice about this release to the notifier; returns at once (delivery goes on in the background).
    func notify(_ event: NotificationEvent, id: String, plan: ReleasePlan, text: String, details extra: [String: String] = [:]) async {
        guard let notifier = context.notifier else { return }
        var details = ["service": plan.service, "version": plan.version, "actor": context.actor]
        details.merge(extra) { $1 }
        let notice = Notice(event: event, at: Date(), topology: context.topology.name, subject: id, text: text, details: details)
        await notifier.send(notice, to: context.notifyTargets)
    }

    /// The end of the release, told by how it ended: promoted, aborted by a person, rolled back, or failed.
    func notifyFinished(_ outcome: ReleaseMachine.Outcome, reason: String) async {
        guard let machine else { return }
        let plan = machine.plan
        var details = ["reason": reason]
        if let switchTime { details["switchMs"] = String(Int(Self.milliseconds(switchTime).rounded())) }
        if let rollbackTime { details["rollbackMs"] = String(Int(Self.milliseconds(rollbackTime).rounded())) }
        let event: NotificationEvent
        let what: String
        switch outcome {
        case .promoted: (event, what) = (.releasePromoted, "promoted")
        case .rolledBack:
            if let why = machine.abortReason { (event, what) = (.releaseAborted, "aborted (\(why)), rolled back") } else {
                (event, what) = (.releaseRolledBack, "rolled back: \(reason)")
            }
        case .failed: (event, what) = (.releaseFailed, "failed: \(reason)")
        }
        await notify(event, id: id, plan: plan, text: "\(plan.service) \(plan.version) \(what)", details: details)
    }
}
