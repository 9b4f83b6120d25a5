import Foundation

/// What one variant did in one trial. Milliseconds; nil where the figure does not apply.
public struct ReleaseBenchTrial: Sendable, Codable, Hashable {
    /// `switchyard release`, `switchyard rollback`, `naive SIGKILL`, `naive SIGTERM`.
    public var variant: String
    public var trial: Int
    /// The release's outcome (Switchyard rows).
    public var outcome: String?
    /// Switchyard: HUP → every old nginx worker stopped accepting (the managed nginx driver's report).
    /// Naive: how long `nginx -s reload` took to return (when the naive control plane believes it switched).
    public var switchMs: Double?
    /// As users saw it: last answer from the old slot minus the instant the reload was issued.
    public var userSwitchMs: Double?
    /// First answer from the new slot minus the instant the reload was issued.
    public var firstNewMs: Double?
    /// Failing verdict → traffic back on the old slot, confirmed through the listener (ReleaseSummary).
    public var rollbackMs: Double?
    /// Failing verdict → last answer from the faulty slot, as users saw it (includes its 400 ms first-token delay).
    public var userRollbackMs: Double?
    /// Wall time of the release minus its waits: the bake span (switch → end of bake or failing verdict) and the scale-down delay.
    public var controlPlaneMs: Double?
    /// Of the control-plane time: retiring the old slot (SIGTERM → its open streams ended and the processes exited).
    public var drainMs: Double?
    public var wallMs: Double?
    public var requestsSent: Int
    public var requestsFailed: Int
    public var failedByStatus: [String: Int]
    public var streamsOpened: Int
    public var streamsCut: Int
    public var streamsRejected: Int
    public var streamsCompleted: Int
    public var note: String?
}

/// Median and max of one figure over the trials of one variant.
public struct BenchStat: Sendable, Codable, Hashable {
    public var median: Double
    public var max: Double

    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        max = sorted.last!
    }
}

/// One line of the side-by-side table.
public struct ReleaseBenchRow: Sendable, Codable, Hashable {
    public var variant: String
    public var trials: Int
    public var switchMs: BenchStat?
    public var userSwitchMs: BenchStat?
    public var rollbackMs: BenchStat?
    public var userRollbackMs: BenchStat?
    public var controlPlaneMs: BenchStat?
    public var drainMs: BenchStat?
    public var requestsFailed: BenchStat?
    public var streamsCut: BenchStat?
    public var streamsCompleted: BenchStat?

    public init(variant: String, trials: [ReleaseBenchTrial]) {
        self.variant = variant
        self.trials = trials.count
        func stat(_ key: (ReleaseBenchTrial) -> Double?) -> BenchStat? { BenchStat(trials.compactMap(key)) }
        switchMs = stat(\.switchMs)
        userSwitchMs = stat(\.userSwitchMs)
        rollbackMs = stat(\.rollbackMs)
        userRollbackMs = stat(\.userRollbackMs)
        controlPlaneMs = stat(\.controlPlaneMs)
        drainMs = stat(\.drainMs)
        requestsFailed = stat { Double($0.requestsFailed) }
        streamsCut = stat { Double($0.streamsCut) }
        streamsCompleted = stat { Double($0.streamsCompleted) }
    }
}

/// Everything a run measured.
public struct ReleaseBenchReport: Sendable, Codable, Hashable {
    public var options: ReleaseBenchOptions
    public var rows: [ReleaseBenchRow]
    public var trials: [ReleaseBenchTrial]

    public init(options: ReleaseBenchOptions, trials: [ReleaseBenchTrial]) {
        self.options = options
        self.trials = trials
        var order: [String] = []
        for trial in trials where !order.contains(trial.variant) { order.append(trial.variant) }
        rows = order.map { name in ReleaseBenchRow(variant: name, trials: trials.filter { $0.variant == name }) }
    }

    /// The side-by-side table: `median / max` over the trials.
    public var table: String {
        let headers = ["variant", "switch ms", "users: switch ms", "rollback ms", "users: rollback ms", "control-plane ms", "of which drain ms",
                       "requests failed", "streams cut", "streams completed"]
        func cell(_ stat: BenchStat?, decimals: Int = 0) -> String {
            guard let stat else { return "-" }
            return String(format: "%.\(decimals)f / %.\(decimals)f", stat.median, stat.max)
        }
        let lines = rows.map { row in
            [row.variant, cell(row.switchMs), cell(row.userSwitchMs), cell(row.rollbackMs), cell(row.userRollbackMs), cell(row.controlPlaneMs),
             cell(row.drainMs), cell(row.requestsFailed), cell(row.streamsCut), cell(row.streamsCompleted)]
        }
        let widths = headers.indices.map { column in ([headers[column]] + lines.map { $0[column] }).map(\.count).max()! }
        func render(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"
        return ([render(headers), rule] + lines.map(render)).joined(separator: "\n")
    }

    /// One line per trial, for the record.
    public var trialLines: [String] {
        trials.map { trial in
            func ms(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
            var parts = ["\(trial.variant) #\(trial.trial)"]
            if let outcome = trial.outcome { parts.append(outcome) }
            parts.append("switch \(ms(trial.switchMs)) ms (users \(ms(trial.userSwitchMs)), first new \(ms(trial.firstNewMs)))")
            if trial.rollbackMs != nil { parts.append("rollback \(ms(trial.rollbackMs)) ms (users \(ms(trial.userRollbackMs)))") }
            if trial.controlPlaneMs != nil { parts.append("control plane \(ms(trial.controlPlaneMs)) ms (drain \(ms(trial.drainMs)), wall \(ms(trial.wallMs)))") }
            let statuses = trial.failedByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            parts.append("requests \(trial.requestsFailed) failed of \(trial.requestsSent)" + (statuses.isEmpty ? "" : " (\(statuses))"))
            parts.append("streams \(trial.streamsCut) cut, \(trial.streamsRejected) rejected, \(trial.streamsCompleted) completed of \(trial.streamsOpened) opened")
            if let note = trial.note { parts.append(note) }
            return parts.joined(separator: "; ")
        }
    }
}
