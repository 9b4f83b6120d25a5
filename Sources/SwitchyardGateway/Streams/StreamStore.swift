import Synchronization

/// Recent streams, kept so a client that reconnects with `Last-Event-ID` resumes instead of
/// starting over. Bounded three ways: at most `maxStreams` streams, at most `maxEventsPerStream`
/// events each (older ones can be produced again from the plan), and dropped `retention` seconds
/// after they were last written. The clock is injected.
public final class StreamStore: Sendable {
    public struct Entry: Sendable {
        public var plan: StreamPlan
        /// Frames as sent, by sequence number, in order.
        public var events: [(sequence: Int, frame: String)] = []
        public var finished = false
        public var touchedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let retention: Double
    private let maxStreams: Int
    private let maxEventsPerStream: Int
    private let now: @Sendable () -> Double

    public init(retention: Double, maxStreams: Int, maxEventsPerStream: Int = 1024, now: @escaping @Sendable () -> Double) {
        self.retention = retention
        self.maxStreams = maxStreams
        self.maxEventsPerStream = maxEventsPerStream
        self.now = now
    }

    public func begin(_ plan: StreamPlan) {
        let time = now()
        entries.withLock { entries in
            evict(&entries, time: time)
            entries[plan.streamID] = Entry(plan: plan, touchedAt: time)
        }
    }

    public func record(streamID: String, sequence: Int, frame: String, finished: Bool) {
        let time = now()
        entries.withLock { entries in
            guard var entry = entries[streamID] else { return }
            entries[streamID] = nil  // keep the entry uniquely referenced while it is edited
            if entry.events.last.map({ $0.sequence < sequence }) ?? true {
                entry.events.append((sequence, frame))
                if entry.events.count > maxEventsPerStream { entry.events.removeFirst(entry.events.count - maxEventsPerStream) }
            }
            entry.finished = entry.finished || finished
            entry.touchedAt = time
            entries[streamID] = entry
        }
    }

    /// The stream, if it is still retained.
    public func entry(streamID: String) -> Entry? {
        let time = now()
        return entries.withLock { entries in
            guard let entry = entries[streamID], time - entry.touchedAt <= retention else { return nil }
            return entry
        }
    }

    public var count: Int { entries.withLock { $0.count } }

    private func evict(_ entries: inout [String: Entry], time: Double) {
        if entries.count >= maxStreams {
            entries = entries.filter { time - $0.value.touchedAt <= retention }
        }
        while entries.count >= maxStreams, let oldest = entries.min(by: { $0.value.touchedAt < $1.value.touchedAt }) {
            entries[oldest.key] = nil
        }
    }
}
