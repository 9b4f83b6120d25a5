/// One second of a write probe, counted from the fault: second `k` covers `[k, k + 1)` seconds after the kill of the
/// primary, so the writes of the warm-up before it are in negative seconds. Like `DrillSecond` for the HTTP traffic, a
/// write counts as sent in the second it was sent and as acknowledged or failed in the second the client learnt it.
public struct WriteSecond: Sendable, Hashable, Codable {
    public var second: Int
    public var sent: Int, acknowledged: Int, failed: Int

    public init(second: Int, sent: Int = 0, acknowledged: Int = 0, failed: Int = 0) {
        self.second = second
        self.sent = sent
        self.acknowledged = acknowledged
        self.failed = failed
    }

    /// Writes whose outcome came in this second.
    public var finished: Int { acknowledged + failed }

    /// `failed / (acknowledged + failed)`; nil when no write finished, so the second tells nothing (a write in flight
    /// to a dead server shows here as a second with nothing finished).
    public var errorRate: Double? { finished > 0 ? Double(failed) / Double(finished) : nil }

    /// Every second from the first write's to the probe's end, each one listed even when nothing happened in it, so
    /// that a stretch without writes shows as such. `faultAt` and `endedAt`, like the attempts' times, are seconds from
    /// the probe's start.
    public static func series(_ attempts: [WriteAttempt], faultAt: Double, endedAt: Double) -> [WriteSecond] {
        func second(_ time: Double) -> Int { Int((time - faultAt).rounded(.down)) }
        guard let firstSent = attempts.map(\.sentAt).min() else { return [] }
        let first = second(firstSent)
        // The second the probe ended in (not the next one when it ended on a second's start), or a later outcome's.
        let ended = Int((endedAt - faultAt).rounded(.up)) - 1
        let last = max(first, ended, second(attempts.map(\.finishedAt).max() ?? endedAt))
        var seconds = (first...last).map { WriteSecond(second: $0) }
        for attempt in attempts {
            seconds[second(attempt.sentAt) - first].sent += 1
            let outcome = second(attempt.finishedAt) - first
            if attempt.acknowledgedAt == nil { seconds[outcome].failed += 1 } else { seconds[outcome].acknowledged += 1 }
        }
        return seconds
    }
}
