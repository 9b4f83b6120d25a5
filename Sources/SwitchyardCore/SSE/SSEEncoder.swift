/// Writes SSE frames. Multi-line data becomes one `data:` line per line, so a reader
/// joins them back with `\n`; a frame ends with a blank line.
public enum SSEEncoder {
    public static func encode(_ event: SSEEvent) -> String {
        var text = ""
        if let id = event.id { text += "id: \(sanitized(id))\n" }
        if let type = event.event { text += "event: \(sanitized(type))\n" }
        if let retry = event.retry { text += "retry: \(retry)\n" }
        for line in splitLines(event.data) { text += "data: \(line)\n" }
        return text + "\n"
    }

    /// Comment lines such as `: ping`: a reader ignores them, but they keep proxies and clients from timing out.
    /// No blank line follows: a blank line ends an event, and decoders that keep the last `id:` (the OpenAI Python
    /// SDK's does) dispatch an empty event on it, which their JSON decoding then fails on. Written between events only.
    public static func comment(_ text: String) -> String {
        splitLines(text).map { ": \($0)\n" }.joined()
    }

    public static func encode(_ message: SSEMessage) -> String {
        switch message {
        case .event(let event): encode(event)
        case .comment(let text): comment(text)
        }
    }

    /// Splits on `\r\n`, `\r` and `\n`, the three line ends the spec accepts.
    static func splitLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }

    /// Field values other than data cannot hold a line end.
    static func sanitized(_ value: String) -> String {
        String(value.filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" })
    }
}
