import Foundation

/// Latency percentiles in seconds (HdrHistogram, three significant digits).
public struct LatencySummary: Sendable, Hashable, Codable {
    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    public init(count: Int = 0, p50: Double = 0, p90: Double = 0, p99: Double = 0, max: Double = 0) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
    }
}

/// Non-stream requests.
public struct RequestCounts: Sendable, Hashable, Codable {
    /// Requests sent (their answers may still be pending).
    public var sent = 0
    /// Answered 2xx.
    public var succeeded = 0
    /// Answered non-2xx, or no answer (connection error, timeout).
    public var failed = 0
    /// Answers by status code (as text, for JSON).
    public var byStatus: [String: Int] = [:]
    /// No answer at all: connection refused or reset, timeout.
    public var connectionErrors = 0
    /// Not sent because the concurrency bound was reached (the target is too slow for the rate).
    public var dropped = 0
    /// Still in flight when the run was stopped: counted neither way.
    public var abandoned = 0

    public init() {}
}

/// SSE streams.
public struct StreamCounts: Sendable, Hashable, Codable {
    /// Answered 200 and started streaming.
    public var opened = 0
    /// Ended with `[DONE]`.
    public var completed = 0
    /// Opened, then ended without `[DONE]`: connection error mid-stream, body ended early, malformed event, gone quiet.
    public var cut = 0
    /// Not opened: answered non-200, or no connection.
    public var rejected = 0
    /// Why streams were cut or rejected, by reason.
    public var reasons: [String: Int] = [:]
    /// Still open when the run ended: counted neither way.
    public var abandoned = 0

    public init() {}
}

/// Answers that one slot and version gave: when the first and last arrived, in seconds since the run started.
public struct SlotSighting: Sendable, Hashable, Codable {
    public var slot: String
    public var version: String
    /// Answers of any status (an old slot that answers 503 while draining still answers).
    public var answers: Int
    /// Of those, 2xx.
    public var succeeded: Int
    public var firstAnswer: Double
    public var lastAnswer: Double

    public init(slot: String, version: String, answers: Int, succeeded: Int, firstAnswer: Double, lastAnswer: Double) {
        self.slot = slot
        self.version = version
        self.answers = answers
        self.succeeded = succeeded
        self.firstAnswer = firstAnswer
        self.lastAnswer = lastAnswer
    }
}

/// One second of a run (second 0 is [0 s, 1 s) after the start).
public struct LoadSecond: Sendable, Hashable, Codable {
    public var second: Int
    public var sent = 0
    public var succeeded = 0
    public var failed = 0
    public var streamsOpened = 0
    public var streamsCompleted = 0
    public var streamsCut = 0
    /// Streams open at the end of this second.
    public var openStreams = 0
    /// p99 latency of the requests answered in this second, in seconds (0 when none).
    public var p99: Double = 0
    /// Answers by slot in this second.
    public var slots: [String: Int] = [:]

    public init(second: Int) { self.second = second }
}

/// Where a run stands, for a progress view.
public struct LoadSnapshot: Sendable, Hashable, Codable {
    public var elapsed: Double
    public var requests: RequestCounts
    public var streams: StreamCounts
    public var openStreams: Int
    public var latency: LatencySummary
    /// The last full second.
    public var lastSecond: LoadSecond?
    public var slots: [SlotSighting]
}

/// What a run measured, in total and second by second.
public struct LoadReport: Sendable, Hashable, Codable {
    public var target: String
    public var startedAt: Date
    /// Seconds from start to stop.
    public var duration: Double
    public var requests: RequestCounts
    public var latency: LatencySummary
    public var streams: StreamCounts
    public var timeToFirstToken: LatencySummary
    /// In order of first answer.
    public var slots: [SlotSighting]
    public var timeline: [LoadSecond]

    /// No request failed, none was dropped, and no stream was cut or refused.
    public var isClean: Bool {
        requests.failed == 0 && requests.dropped == 0 && streams.cut == 0 && streams.rejected == 0
    }

    /// The sighting of a slot (all versions together: first of the firsts, last of the lasts).
    public func sighting(slot: String) -> SlotSighting? {
        let matching = slots.filter { $0.slot == slot }
        guard let first = matching.first else { return nil }
        return matching.dropFirst().reduce(first) { total, next in
            SlotSighting(slot: slot, version: total.version == next.version ? total.version : "*",
                         answers: total.answers + next.answers, succeeded: total.succeeded + next.succeeded,
                         firstAnswer: min(total.firstAnswer, next.firstAnswer), lastAnswer: max(total.lastAnswer, next.lastAnswer))
        }
    }
}
