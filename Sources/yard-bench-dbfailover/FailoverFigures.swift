import Foundation

/// The runs of one setting, summed up: kill → promoted and kill → first write (median, max), acknowledged writes lost.
struct FailoverFigures: Sendable, Codable {
    var setting: String
    var writesPerSecond: Int
    var runs: [FailoverRun]

    struct Spread: Sendable, Codable {
        var median: Double
        var max: Double
    }

    /// Median and max of the values, in seconds; nil without any.
    static func spread(_ values: [Double]) -> Spread? {
        let sorted = values.sorted()
        guard let last = sorted.last else { return nil }
        let middle = sorted.count / 2
        return Spread(median: sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, max: last)
    }

    var promoted: Spread? { Self.spread(runs.compactMap(\.promoted)) }
    var firstWrite: Spread? { Self.spread(runs.compactMap(\.firstWrite)) }
    var lost: Int { runs.compactMap(\.lost).reduce(0, +) }
    /// Runs in which no write reached the new primary, or whose writes could not be read back.
    var incomplete: Int { runs.filter { $0.firstWrite == nil || $0.lost == nil }.count }

    static func milliseconds(_ spread: Spread?) -> String {
        guard let spread else { return "n/a" }
        return String(format: "%.0f ms (%.0f ms)", spread.median * 1000, spread.max * 1000)
    }

    /// One row of the table: the setting, both spreads, the loss in all and per run.
    var row: [String] {
        [setting, Self.milliseconds(promoted), Self.milliseconds(firstWrite),
         "\(lost) (\(runs.map { $0.lost.map(String.init) ?? "?" }.joined(separator: " ")))" + (incomplete > 0 ? ", \(incomplete) incomplete" : "")]
    }

    static func table(_ all: [FailoverFigures]) -> String {
        let headers = ["setting", "kill → promoted, median (max)", "kill → first write, median (max)", "acknowledged writes lost (per run)"]
        let rows = [headers] + all.map(\.row)
        let widths = headers.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        // Every column padded but the last, so that no line ends in spaces.
        return rows.map { row in
            row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
