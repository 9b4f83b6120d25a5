/// A problem with a history of QPS, located so that a person can fix it:
/// `history.csv:14: qps must be a number, got "n/a"`.
public enum HistoryError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty(source: String)
    case badRow(source: String, line: Int, message: String)
    case badTimestamp(source: String, line: Int, text: String)
    case badValue(source: String, line: Int, text: String)
    case negativeValue(source: String, line: Int, value: Double)
    case tooShort(source: String, points: Int, span: String, needed: String)
    case endsInTheFuture(source: String, last: String, now: String)
    case targetNotAfterHistory(target: String, last: String)
    case unreachable(source: String, reason: String)
    case backend(source: String, message: String)

    public var description: String {
        switch self {
        case .empty(let source):
            "\(source): no data points (expected rows of `timestamp,qps`)"
        case .badRow(let source, let line, let message):
            "\(source):\(line): \(message)"
        case .badTimestamp(let source, let line, let text):
            "\(source):\(line): timestamp must be ISO 8601 (2026-11-11T09:00:00, optionally with Z or +08:00), YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or Unix seconds, got \"\(text)\""
        case .badValue(let source, let line, let text):
            "\(source):\(line): qps must be a number, got \"\(text)\" (leave it empty or write NaN for a missing point)"
        case .negativeValue(let source, let line, let value):
            "\(source):\(line): qps must be 0 or more, got \(value)"
        case .tooShort(let source, let points, let span, let needed):
            "\(source): history too short to forecast: \(points) point(s) over \(span); need \(needed)"
        case .endsInTheFuture(let source, let last, let now):
            "\(source): history ends at \(last), after now (\(now)); is the file's clock or time zone wrong?"
        case .targetNotAfterHistory(let target, let last):
            "the target event starts \(target), not after the end of the history (\(last)); forecast an event that is still to come"
        case .unreachable(let source, let reason):
            "\(source): cannot reach the metrics backend: \(reason)"
        case .backend(let source, let message):
            "\(source): \(message)"
        }
    }
}
