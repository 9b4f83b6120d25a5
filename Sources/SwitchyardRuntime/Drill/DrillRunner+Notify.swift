import Foundation
import SwitchyardCore

extension DrillRunner {
    /// Tells the drill's targets how it ended, with its figures; returns at once.
    func notifyFinished(reason: String) async {
        guard let notifier = context.notifier else { return }
        await notifier.send(Self.notice(for: report, reason: reason), to: context.notifyTargets)
    }

    /// The notice of a finished drill run.
    static func notice(for report: DrillReport, reason: String) -> Notice {
        var details = ["playbook": report.playbook, "fault": report.faultKind, "reason": reason]
        if let measurements = report.measurements {
            details["rtoSeconds"] = measurements.rto.map { String(format: "%.1f", $0) } ?? "not recovered"
            details["requestsLost"] = String(measurements.requestsLost)
            details["streamsCut"] = String(measurements.streamsCut)
        }
        if !report.failedObjectives.isEmpty { details["failedObjectives"] = report.failedObjectives.joined(separator: ", ") }
        return Notice(event: .drill(report.outcome), at: report.finishedAt ?? Date(), topology: report.topology, subject: report.id,
                      text: "drill \(report.playbook) \(report.outcome.rawValue): \(reason)", details: details)
    }
}
