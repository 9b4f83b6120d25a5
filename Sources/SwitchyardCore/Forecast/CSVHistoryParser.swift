import Foundation

/// Reads a CSV of `timestamp,qps` (pure: the caller reads the file).
///
/// - A first line that is not a data row (`timestamp,qps`) is a header and skipped; so are blank
///   lines and lines starting with `#`. Columns after the second are ignored.
/// - Rows may come in any order; they are sorted. Rows with the same timestamp are averaged.
/// - An empty value, `NaN` or `null` is a missing point: skipped and counted. Any other value
///   that is not a number is an error naming the line; so is a negative value.
/// - Gaps stay gaps.
public enum CSVHistoryParser {
    public struct Summary: Sendable, Hashable, Codable {
        public var rows: Int
        public var points: Int
        public var duplicatesMerged: Int
        public var missingSkipped: Int
        public var zeros: Int
    }

    public static func parse(_ bytes: [UInt8], source: String) throws(HistoryError) -> (series: QPSSeries, summary: Summary) {
        var times: [Int64] = []
        var values: [Double] = []
        times.reserveCapacity(bytes.count / 16)
        values.reserveCapacity(bytes.count / 16)
        var missing = 0
        var zeros = 0
        var rows = 0
        var line = 0
        var sawData = false
        var start = 0
        let n = bytes.count
        let failure: HistoryError? = bytes.withUnsafeBufferPointer { buffer -> HistoryError? in
            while start < n {
                var end = start
                while end < n, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                line += 1
                defer { start = end + 1 }
                var lineEnd = end
                if lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                var first = start
                while first < lineEnd, buffer[first] == UInt8(ascii: " ") { first += 1 }
                if first == lineEnd || buffer[first] == UInt8(ascii: "#") { continue }
                if line == 1, first + 2 < lineEnd, buffer[first] == 0xEF, buffer[first + 1] == 0xBB, buffer[first + 2] == 0xBF { first += 3 }
                var comma = first
                while comma < lineEnd, buffer[comma] != UInt8(ascii: ",") { comma += 1 }
                var valueEnd = comma + 1
                while valueEnd < lineEnd, buffer[valueEnd] != UInt8(ascii: ",") { valueEnd += 1 }
                let stampBytes = UnsafeBufferPointer(rebasing: buffer[first..<comma])
                let time = parseStamp(stampBytes)
                guard comma < lineEnd else {
                    if !sawData, time == nil { sawData = true; continue }
                    return .badRow(source: source, line: line, message: "expected `timestamp,qps`, got \"\(text(stampBytes))\"")
                }
                guard let time else {
                    if !sawData { sawData = true; continue }  // the header
                    return .badTimestamp(source: source, line: line, text: text(stampBytes))
                }
                sawData = true
                rows += 1
                let valueText = text(UnsafeBufferPointer(rebasing: buffer[(comma + 1)..<min(valueEnd, lineEnd)]))
                    .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if valueText.isEmpty || ["nan", "null", "na"].contains(valueText.lowercased()) { missing += 1; continue }
                guard let value = Double(valueText), value.isFinite else {
                    return .badValue(source: source, line: line, text: valueText)
                }
                guard value >= 0 else { return .negativeValue(source: source, line: line, value: value) }
                if value == 0 { zeros += 1 }
                times.append(time)
                values.append(value)
            }
            return nil
        }
        if let failure { throw failure }
        guard !times.isEmpty else { throw .empty(source: source) }
        let series = QPSSeries(unsortedTimes: times, values: values)
        return (series, Summary(rows: rows, points: series.count, duplicatesMerged: times.count - series.count, missingSkipped: missing, zeros: zeros))
    }

    private static func parseStamp(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == UInt8(ascii: " ") || raw[lo] == UInt8(ascii: "\"") { lo += 1 }
        while hi > lo, raw[hi - 1] == UInt8(ascii: " ") || raw[hi - 1] == UInt8(ascii: "\"") { hi -= 1 }
        return TimestampParser.parse(bytes: UnsafeBufferPointer(rebasing: raw[lo..<hi]))
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
