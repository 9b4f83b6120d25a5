import Foundation
import Histogram

/// The counting behind a load run, with no clock of its own: every event carries its time since
/// the start, so the tally is a pure value that tests drive directly.
public struct LoadTally: Sendable {
    private(set) var requests = RequestCounts()
    private(set) var streams = StreamCounts()
    private var latency = LoadTally.histogram(digits: .three)
    private var timeToFirstToken = LoadTally.histogram(digits: .three)
    private var slots: [SlotKey: SlotSighting] = [:]
    private var seconds: [LoadSecond] = []
    private var secondLatency: [Histogram<UInt64>] = []
    private var secondStreamDelta: [Int] = []

    private struct SlotKey: Hashable, Sendable {
        var slot: String
        var version: String
    }

    public init() {}

    static func histogram(digits: SignificantDigits) -> Histogram<UInt64> {
        // Microseconds, from 1 µs to one hour.
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: digits)
    }

    public var openStreams: Int { streams.opened - streams.completed - streams.cut - streams.abandoned }

    // MARK: Events

    public mutating func requestSent(at time: Duration) {
        requests.sent += 1
        second(time) { $0.sent += 1 }
    }

    public mutating func requestDropped(at time: Duration) {
        requests.dropped += 1
    }

    public mutating func requestAnswered(at time: Duration, status: Int, latency: Duration, slot: String?, version: String?) {
        requests.byStatus[String(status), default: 0] += 1
        let ok = (200...299).contains(status)
        if ok { requests.succeeded += 1 } else { requests.failed += 1 }
        let micros = Self.micros(latency)
        _ = self.latency.record(micros)
        second(time) {
            if ok { $0.succeeded += 1 } else { $0.failed += 1 }
        }
        let index = ensureSecond(time)
        _ = secondLatency[index].record(micros)
        answer(at: time, status: status, slot: slot, version: version)
    }

    public mutating func requestAbandoned() {
        requests.abandoned += 1
    }

    public mutating func requestUnreachable(at time: Duration) {
        requests.failed += 1
        requests.connectionErrors += 1
        second(time) { $0.failed += 1 }
    }

    public mutating func streamAnswered(at time: Duration, status: Int, slot: String?, version: String?) {
        answer(at: time, status: status, slot: slot, version: version)
        guard status == 200 else { return }
        streams.opened += 1
        second(time) { $0.streamsOpened += 1 }
        secondStreamDelta[ensureSecond(time)] += 1
    }

    public mutating func streamFirstToken(after ttft: Duration) {
        _ = timeToFirstToken.record(Self.micros(ttft))
    }

    /// The end of a stream (or of an attempt that never opened one).
    public mutating func streamEnded(at time: Duration, _ outcome: CompletionStreamOutcome) {
        let opened = outcome.status == 200
        switch outcome.end {
        case .done:
            streams.completed += 1
            second(time) { $0.streamsCompleted += 1 }
        case .rejected(let status):
            streams.rejected += 1
            streams.reasons["status \(status)", default: 0] += 1
        case .unreachable:
            streams.rejected += 1
            streams.reasons["connection error", default: 0] += 1
        case .cut(let reason), .malformed(let reason), .timedOut(let reason):
            if opened {
                streams.cut += 1
                second(time) { $0.streamsCut += 1 }
            } else {
                streams.rejected += 1
            }
            streams.reasons[Self.reasonKey(outcome.end, reason), default: 0] += 1
        case .cancelled:
            if opened { streams.abandoned += 1 }
        }
        if opened { secondStreamDelta[ensureSecond(time)] -= 1 }
    }

    // MARK: Results

    public func report(target: String, startedAt: Date, elapsed: Duration) -> LoadReport {
        LoadReport(
            target: target, startedAt: startedAt, duration: elapsed.seconds, requests: requests,
            latency: Self.summary(latency), streams: streams, timeToFirstToken: Self.summary(timeToFirstToken),
            slots: slotList, timeline: timeline(upTo: Int(elapsed.seconds.rounded(.up)))
        )
    }

    public func snapshot(elapsed: Duration) -> LoadSnapshot {
        let full = Int(elapsed.seconds.rounded(.down))
        let line = timeline(upTo: full)
        return LoadSnapshot(
            elapsed: elapsed.seconds, requests: requests, streams: streams, openStreams: openStreams,
            latency: Self.summary(latency), lastSecond: line.last, slots: slotList
        )
    }

    private var slotList: [SlotSighting] { slots.values.sorted { ($0.firstAnswer, $0.slot) < ($1.firstAnswer, $1.slot) } }

    /// The seconds [0, count), with open streams carried over and p99 filled in.
    private func timeline(upTo count: Int) -> [LoadSecond] {
        var open = 0
        return (0..<max(count, 0)).map { index in
            var entry = index < seconds.count ? seconds[index] : LoadSecond(second: index)
            if index < seconds.count {
                open += secondStreamDelta[index]
                let histogram = secondLatency[index]
                entry.p99 = histogram.totalCount > 0 ? Double(histogram.valueAtPercentile(99)) / 1e6 : 0
            }
            entry.openStreams = open
            return entry
        }
    }

    // MARK: Helpers

    private mutating func answer(at time: Duration, status: Int, slot: String?, version: String?) {
        guard let slot else { return }
        let key = SlotKey(slot: slot, version: version ?? "?")
        let at = time.seconds
        let ok = (200...299).contains(status) ? 1 : 0
        if var sighting = slots[key] {
            sighting.answers += 1
            sighting.succeeded += ok
            sighting.firstAnswer = min(sighting.firstAnswer, at)
            sighting.lastAnswer = max(sighting.lastAnswer, at)
            slots[key] = sighting
        } else {
            slots[key] = SlotSighting(slot: key.slot, version: key.version, answers: 1, succeeded: ok, firstAnswer: at, lastAnswer: at)
        }
        second(time) { $0.slots[slot, default: 0] += 1 }
    }

    @discardableResult
    private mutating func ensureSecond(_ time: Duration) -> Int {
        let index = max(0, Int(time.seconds.rounded(.down)))
        while seconds.count <= index {
            seconds.append(LoadSecond(second: seconds.count))
            secondLatency.append(Self.histogram(digits: .two))
            secondStreamDelta.append(0)
        }
        return index
    }

    private mutating func second(_ time: Duration, _ update: (inout LoadSecond) -> Void) {
        let index = ensureSecond(time)
        update(&seconds[index])
    }

    static func micros(_ duration: Duration) -> UInt64 {
        let value = duration.seconds * 1e6
        return UInt64(min(max(value.rounded(), 1), 3_600_000_000))
    }

    static func summary(_ histogram: Histogram<UInt64>) -> LatencySummary {
        guard histogram.totalCount > 0 else { return LatencySummary() }
        func at(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1e6 }
        return LatencySummary(count: Int(histogram.totalCount), p50: at(50), p90: at(90), p99: at(99), max: Double(histogram.max) / 1e6)
    }

    private static func reasonKey(_ end: CompletionStreamOutcome.End, _ reason: String) -> String {
        switch end {
        case .malformed: "malformed event"
        case .timedOut: "timed out"
        default: reason.hasPrefix("connection broke") ? "connection broke mid-stream" : reason
        }
    }
}
