import Foundation

/// One kill of the leader mid-bake and what followed.
struct TakeoverRound: Codable {
    var round: Int
    var release: String
    var killed: Int
    var newLeader: Int
    /// From the SIGKILL to the first `/readyz` of another daemon saying it leads.
    var takeoverSeconds: Double
    var outcome: String
    /// Why it ended so, as the release's record says.
    var reason: String
    /// Daemons whose log says they resumed the release (one is right: the new leader).
    var resumedBy: [Int]
    /// `finished: ` entries in the release's journal (one is right).
    var finishedEntries: Int
    /// Journal entries whose sequence appears more than once (none is right).
    var duplicateSequences: Int

    /// Two daemons drove it, or it ended twice.
    var drivenTwice: Bool { resumedBy.count > 1 || finishedEntries > 1 || duplicateSequences > 0 }
}

/// Every round, and the figures over them.
struct TakeoverReport: Codable {
    var lease: String
    var daemons: Int
    var fault: String
    var rounds: [TakeoverRound]

    var takeovers: [Double] { rounds.map(\.takeoverSeconds).sorted() }
    var median: Double {
        let sorted = takeovers
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    var max: Double { takeovers.last ?? 0 }
    var finished: Int { rounds.filter { $0.outcome == "promoted" || $0.outcome == "rolled-back" }.count }
    var drivenTwice: Int { rounds.filter(\.drivenTwice).count }

    var table: String {
        var lines = ["round  release                              killed  new leader  takeover  outcome      resumed by  finished  driven twice"]
        for r in rounds {
            lines.append("\(pad(r.round, 5))  \(r.release.padding(toLength: 36, withPad: " ", startingAt: 0))  \(pad(r.killed, 6))  \(pad(r.newLeader, 10))  "
                + "\(String(format: "%7.2fs", r.takeoverSeconds))  \(r.outcome.padding(toLength: 11, withPad: " ", startingAt: 0))  "
                + "\(r.resumedBy.map(String.init).joined(separator: ",").padding(toLength: 10, withPad: " ", startingAt: 0))  \(pad(r.finishedEntries, 8))  \(r.drivenTwice ? "yes" : "no")")
        }
        lines.append("")
        lines.append("\(daemons) daemons, lease \(lease), leader \(fault == "kill" ? "killed (SIGKILL)" : "frozen (SIGSTOP)"): takeover median \(String(format: "%.2f", median)) s, max \(String(format: "%.2f", max)) s; "
            + "releases finished \(finished) of \(rounds.count); driven twice \(drivenTwice)")
        return lines.joined(separator: "\n")
    }

    var json: String {
        struct Summary: Codable { var report: TakeoverReport; var takeoverMedianSeconds: Double; var takeoverMaxSeconds: Double; var finished: Int; var drivenTwice: Int }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let summary = Summary(report: self, takeoverMedianSeconds: median, takeoverMaxSeconds: max, finished: finished, drivenTwice: drivenTwice)
        return String(decoding: (try? encoder.encode(summary)) ?? Data(), as: UTF8.self)
    }

    private func pad(_ value: Int, _ width: Int) -> String { String(value).padding(toLength: width, withPad: " ", startingAt: 0) }
}
