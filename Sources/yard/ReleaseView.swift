import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

/// The live view of a release: one line per step, with elapsed time, on stderr when stdout carries JSON.
struct ReleaseView: Sendable {
    let json: Bool
    let start = Date()

    func show(_ update: ReleaseUpdate) {
        let line: String
        switch update {
        case .started(let id, let plan, let resumed):
            line = "\(resumed ? "resuming" : "release") \(id): \(plan.service) \(plan.previousVersion ?? "?") → \(plan.version), waves \(plan.waves.map { $0.joined(separator: "+") }.joined(separator: " then ")), bake \(plan.bakeDuration)"
        case .phase(let phase, let detail):
            line = "phase \(phase.rawValue): \(detail)"
        case .deployed(let instances):
            line = "  ready: " + instances.map { "\($0.id.name)@\($0.address.port)\($0.adopted ? " (adopted)" : "")" }.joined(separator: ", ")
        case .measured(let gate, let measurement, let verdict, let stage):
            line = "  \(stage) gate \(gate): \(measurement.phase.rawValue.uppercased()) \(measurement.message)\(verdict == .pending ? "" : " → \(verdict)")"
        case .switched(let routing, let switchTime, let checkTime):
            line = "  switched \(routing.label): old workers stopped accepting \(ms(switchTime)) after the reload (nginx -t \(ms(checkTime)))"
        case .routedBack(let routing, let after):
            line = "  ROLLED BACK to \(routing.label) \(ms(after)) after the failing verdict"
        case .retired(let slot, let zones, let report):
            line = "  retired \(slot.rawValue) in \(zones.joined(separator: ", ")): \(report.stopped.count) drained\(report.killed.isEmpty ? "" : ", \(report.killed.count) killed")"
        case .bakeProgress(let elapsed, let total, let open):
            let done = min(1, elapsed / total)
            let width = 20
            let streams = Slot.allCases.compactMap { slot in open[slot].map { "\(slot.rawValue) \($0)" } }.joined(separator: ", ")
            line = "  bake [" + String(repeating: "█", count: Int(done * Double(width))) + String(repeating: "·", count: width - Int(done * Double(width))) + "] \(ms(elapsed)) of \(ms(total))"
                + (streams.isEmpty ? "" : "  open streams: \(streams)")
        case .note(let text):
            line = "  \(text)"
        case .finished(let outcome, let reason):
            line = "finished: \(outcome.rawValue): \(reason)"
        }
        let stamp = String(format: "[%6.1fs] ", Date().timeIntervalSince(start))
        if json { printError(stamp + line) } else { FileHandle.standardOutput.write(Data((stamp + line + "\n").utf8)) }
    }

    func ms(_ duration: Duration) -> String {
        let value = duration.milliseconds
        return value >= 10_000 ? String(format: "%.1f s", value / 1000) : String(format: "%.0f ms", value)
    }
}

extension ReleaseView {
    /// One journal entry of a release followed through yardd, in the same style as the local view.
    func show(entry: JournalEntryView) {
        let line: String
        switch (entry.kind, entry.status) {
        case ("action", "started"): line = "▸ \(entry.message)"
        case ("action", "failed"): line = "  ✘ \(entry.message)"
        case ("action", _): line = "  ✔ \(entry.message)"
        default: line = entry.message.hasPrefix("finished: ") ? entry.message : "  \(entry.message)"
        }
        let stamp = String(format: "[%6.1fs] ", Date().timeIntervalSince(start))
        if json { printError(stamp + line) } else { FileHandle.standardOutput.write(Data((stamp + line + "\n").utf8)) }
    }
}
