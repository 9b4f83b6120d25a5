/// One Server-Sent Event as the WHATWG spec defines it: an optional `id`, an optional
/// `event` type, the `data` (lines joined with `\n`) and an optional `retry` in milliseconds.
public struct SSEEvent: Sendable, Hashable {
    public var id: String?
    public var event: String?
    public var data: String
    public var retry: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retry: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retry = retry
    }
}

/// What an SSE stream carries: events, and comment lines (`: ping`) that keep a connection alive.
public enum SSEMessage: Sendable, Hashable {
    case event(SSEEvent)
    case comment(String)

    public var event: SSEEvent? {
        if case .event(let event) = self { return event }
        return nil
    }
}
