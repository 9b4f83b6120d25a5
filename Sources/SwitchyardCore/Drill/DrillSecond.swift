/// One second of drill traffic, as the load generator saw it. `second` counts from traffic start
/// (0-based): second `k` covers the interval `[k, k + 1)` seconds after traffic started.
public struct DrillSecond: Sendable, Hashable, Codable {
    public var second: Int
    /// Requests sent, and requests that finished in this second, well or badly.
    public var sent: Int, succeeded: Int, failed: Int
    /// Streams opened, and streams that broke off before their last event.
    public var streamsOpened: Int, streamsCut: Int
    /// Milliseconds; 0 when no request finished.
    public var p99: Double

    public init(second: Int, sent: Int = 0, succeeded: Int = 0, failed: Int = 0, streamsOpened: Int = 0, streamsCut: Int = 0, p99: Double = 0) {
        self.second = second
        self.sent = sent
        self.succeeded = succeeded
        self.failed = failed
        self.streamsOpened = streamsOpened
        self.streamsCut = streamsCut
        self.p99 = p99
    }

    /// Requests that finished in this second.
    public var finished: Int { succeeded + failed }

    /// `succeeded / (succeeded + failed)`; nil when nothing finished, so the second tells nothing.
    public var successRate: Double? { finished > 0 ? Double(succeeded) / Double(finished) : nil }
}
