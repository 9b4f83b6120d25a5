/// An incremental SSE parser (WHATWG "event stream interpretation"): feed it bytes as they
/// arrive, in chunks of any size, and it returns the events and comments completed so far.
///
/// It accepts `\n`, `\r\n` and `\r` line ends (also split across chunks), strips one leading
/// space after the colon, joins multi-line data with `\n`, ignores unknown fields and a
/// `retry` that is not all digits, and, as the spec says, dispatches no event whose data is empty.
/// `id` persists across events (the "last event ID"), as a browser's EventSource keeps it.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var sawFirstLine = false
    private var dataLines: [String] = []
    private var hasData = false
    private var eventType: String?
    private var retry: Int?
    /// The id of the last event seen; a reconnecting client sends it as `Last-Event-ID`.
    public private(set) var lastEventID: String?

    public init() {}

    /// Feeds a chunk of bytes and returns the messages it completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [SSEMessage] {
        var out: [SSEMessage] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                lastWasCR = true
                endLine(into: &out)
            case UInt8(ascii: "\n"):
                endLine(into: &out)
            default:
                line.append(byte)
            }
        }
        return out
    }

    /// Feeds text; convenient in tests.
    public mutating func feed(_ text: String) -> [SSEMessage] { feed(Array(text.utf8)) }

    /// The stream ended: an event without its blank line is discarded, as the spec says.
    public mutating func finish() -> [SSEMessage] {
        line.removeAll()
        resetEvent()
        return []
    }

    private mutating func endLine(into out: inout [SSEMessage]) {
        var bytes = line
        line.removeAll(keepingCapacity: true)
        if !sawFirstLine {
            sawFirstLine = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        }
        if bytes.isEmpty {
            dispatch(into: &out)
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix(":") {
            var comment = text.dropFirst()
            if comment.hasPrefix(" ") { comment = comment.dropFirst() }
            out.append(.comment(String(comment)))
            return
        }
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "data":
            dataLines.append(String(value))
            hasData = true
        case "event":
            eventType = String(value)
        case "id":
            if !value.contains("\0") {
                lastEventID = String(value)
            }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(value) {
                retry = number
            }
        default:
            break
        }
    }

    private mutating func dispatch(into out: inout [SSEMessage]) {
        defer { resetEvent() }
        guard hasData else { return }
        let event = SSEEvent(
            id: lastEventID,
            event: eventType,
            data: dataLines.joined(separator: "\n"),
            retry: retry
        )
        out.append(.event(event))
    }

    private mutating func resetEvent() {
        dataLines.removeAll()
        hasData = false
        eventType = nil
        retry = nil
    }
}
