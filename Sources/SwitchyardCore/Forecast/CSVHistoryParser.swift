import Foundation

/// Reads a CSV of `timestamp,qps` (pure: the caller feeds the bytes, at once or chunk by chunk).
///
/// - A first line that is not a data row is a header: it must name a `qps` column (the values are
///   read from it; the timestamp is the first column). Blank lines and lines starting with `#`
///   are skipped. Without a header, the first column is the time and the second the QPS.
/// - Rows must be in time order, each timestamp once: a row earlier than the one before it, or a
///   repeated timestamp, is an error naming both lines (a sorted export is what a person can check).
/// - An empty value, `NaN` or `null` is a missing point: skipped and counted. Any other value
///   that is not a number is an error naming the line; so is a negative value.
/// - Gaps stay gaps.
/// - Bounded: a line longer than `maximumLineBytes` or more than `maximumPoints` points is an error
///   naming the line, so that a wrong or enormous file fails fast instead of exhausting memory.
public struct CSVHistoryParser {
    public struct Summary: Sendable, Hashable, Codable {
        public var rows: Int
        public var points: Int
        public var missingSkipped: Int
        public var zeros: Int
    }

    public static let maximumLineBytes = 4_096
    /// 19 years of one-minute points, 160 MB of series.
    public static let defaultMaximumPoints = 10_000_000

    public let source: String
    public let maximumPoints: Int
    private var times: [Int64] = []
    private var values: [Double] = []
    private var missing = 0
    private var zeros = 0
    private var rows = 0
    private var line = 0
    private var sawData = false
    private var valueColumn = 1
    private var previousLine = 0
    private var previousTime: Int64?
    private var partial: [UInt8] = []

    public init(source: String, maximumPoints: Int = defaultMaximumPoints) {
        self.source = source
        self.maximumPoints = maximumPoints
    }

    /// The whole file at once.
    public static func parse(_ bytes: [UInt8], source: String, maximumPoints: Int = defaultMaximumPoints) throws(HistoryError) -> (series: QPSSeries, summary: Summary) {
        var parser = CSVHistoryParser(source: source, maximumPoints: maximumPoints)
        try parser.consume(bytes)
        return try parser.finish()
    }

    /// The next chunk of the file (lines may straddle chunks).
    public mutating func consume(_ chunk: [UInt8]) throws(HistoryError) {
        var failure: HistoryError?
        chunk.withUnsafeBufferPointer { buffer in
            var start = 0
            let n = buffer.count
            while start < n {
                var end = start
                while end < n, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                if end == n {
                    partial.append(contentsOf: buffer[start..<n])
                    if partial.count > Self.maximumLineBytes { failure = tooLong(); return }
                    return
                }
                if partial.isEmpty {
                    if end - start > Self.maximumLineBytes { failure = tooLong(); return }
                    if let error = row(UnsafeBufferPointer(rebasing: buffer[start..<end])) { failure = error; return }
                } else {
                    partial.append(contentsOf: buffer[start..<end])
                    if partial.count > Self.maximumLineBytes { failure = tooLong(); return }
                    let whole = partial
                    partial.removeAll(keepingCapacity: true)
                    if let error = whole.withUnsafeBufferPointer({ row($0) }) { failure = error; return }
                }
                start = end + 1
            }
        }
        if let failure { throw failure }
    }

    /// The series, once every chunk is in.
    public mutating func finish() throws(HistoryError) -> (series: QPSSeries, summary: Summary) {
        if !partial.isEmpty {
            let whole = partial
            partial = []
            if let error = whole.withUnsafeBufferPointer({ row($0) }) { throw error }
        }
        guard !times.isEmpty else { throw .empty(source: source) }
        let series = QPSSeries(times: times, values: values)
        return (series, Summary(rows: rows, points: series.count, missingSkipped: missing, zeros: zeros))
    }

    private func tooLong() -> HistoryError {
        .badRow(source: source, line: line + 1, message: "line longer than \(Self.maximumLineBytes) bytes: not a `timestamp,qps` CSV")
    }

    /// One line without its newline; nil when it is fine.
    private mutating func row(_ buffer: UnsafeBufferPointer<UInt8>) -> HistoryError? {
        line += 1
        var lineEnd = buffer.count
        if lineEnd > 0, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        var first = 0
        if line == 1, lineEnd >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { first = 3 }
        while first < lineEnd, buffer[first] == UInt8(ascii: " ") { first += 1 }
        if first == lineEnd || buffer[first] == UInt8(ascii: "#") { return nil }
        let cells = UnsafeBufferPointer(rebasing: buffer[first..<lineEnd]).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { Self.text(UnsafeBufferPointer(rebasing: $0)).trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
        let time = TimestampParser.parse(Substring(cells[0]))
        if !sawData {
            sawData = true
            if time == nil {
                // The header.
                guard let column = cells.firstIndex(where: { $0.lowercased() == "qps" }), column > 0 else {
                    return .badRow(source: source, line: line,
                                   message: "the header must name a qps column after the timestamp (timestamp,qps), got \"\(cells.joined(separator: ","))\"")
                }
                valueColumn = column
                return nil
            }
        }
        guard let time else { return .badTimestamp(source: source, line: line, text: cells[0]) }
        guard cells.count > valueColumn else {
            return .badRow(source: source, line: line, message: "expected `timestamp,qps`, got \"\(cells.joined(separator: ","))\"")
        }
        rows += 1
        defer { previousTime = time; previousLine = line }
        if let last = previousTime {
            if time == last {
                return .badRow(source: source, line: line, message: "timestamp \(cells[0]) repeats line \(previousLine): one row per timestamp")
            }
            if time < last {
                return .badRow(source: source, line: line, message: "timestamp \(cells[0]) is earlier than line \(previousLine)'s: rows must be in time order (sort the file)")
            }
        }
        let valueText = cells[valueColumn]
        if valueText.isEmpty || ["nan", "null", "na"].contains(valueText.lowercased()) { missing += 1; return nil }
        guard let value = Double(valueText), value.isFinite else { return .badValue(source: source, line: line, text: valueText) }
        guard value >= 0 else { return .negativeValue(source: source, line: line, value: value) }
        guard times.count < maximumPoints else {
            return .badRow(source: source, line: line, message: "more than \(maximumPoints) points: aggregate the history to a coarser step (one-minute points over 19 years fit)")
        }
        if value == 0 { zeros += 1 }
        times.append(time)
        values.append(value)
        return nil
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
