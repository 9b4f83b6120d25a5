import SwitchyardCore

/// Faults a drill can switch on. Each is off by default; `enabledDescriptions` lists those on for the start-up banner.
public struct FaultConfiguration: Sendable, Hashable {
    /// Share of chat requests answered 500 (0…1).
    public var errorRate: Double = 0
    /// Added before the first token of every answer.
    public var firstTokenLatency: TimeSpan?
    /// Streams stop sending anything (no events, no pings) after this many events.
    public var stallAfterEvents: Int?
    /// Streams send one malformed event (broken JSON) after this many events, then go on.
    public var malformedAfterEvents: Int?
    /// `/readyz` never answers ready.
    public var neverReady = false
    /// The process exits non-zero this long after start.
    public var crashAfter: TimeSpan?
    /// Seed of the fault dice, so a run can be repeated.
    public var seed: UInt64 = 1

    public init() {}

    public var enabledDescriptions: [String] {
        var list: [String] = []
        if errorRate > 0 { list.append("error rate \(errorRate) (HTTP 500 on chat requests, seed \(seed))") }
        if let firstTokenLatency { list.append("first-token latency +\(firstTokenLatency)") }
        if let stallAfterEvents { list.append("streams stall after \(stallAfterEvents) events") }
        if let malformedAfterEvents { list.append("streams emit a malformed event after \(malformedAfterEvents) events") }
        if neverReady { list.append("readiness never turns true") }
        if let crashAfter { list.append("crash (exit 70) after \(crashAfter)") }
        return list
    }
}
