import Synchronization

/// Recent streams, kept so a client that reconnects with `Last-Event-ID` resumes instead of
/// starting over. Bounded four ways: at most `maxStreams` streams, at most `maxEventsPerStream`
/// events each (older ones can be produced again from the plan), at most `maxBytes` of frames in
/// all (the least recently written streams go first), and dropped `retention` seconds after they
/// were last written: `purgeExpired()` frees them (a timer calls it, `StreamPurgeService`), and a
/// lookup never returns one. Each stream remembers the API key that started it; only that key
/// resumes it. The clock is injected.
public final class StreamStore: Sendable {
    public struct Entry: Sendable {
        public var plan: StreamPlan
        /// The API key that started the stream; nil with auth off.
        public var owner: String?
        /// Frames as sent, by sequence number, in order.
        public var events: [(sequence: Int, frame: String)] = []
        public var finished = false
        public var touchedAt: Double
        /// UTF-8 bytes of the frames held.
        public var bytes = 0
    }

    public struct Limits: Sendable, Hashable {
        public var retention: Double
        public var maxStreams: Int
        public var maxEventsPerStream: Int
        public var maxBytes: Int

        public init(retention: Double, maxStreams: Int = 10_000, maxEventsPerStream: Int = 1024, maxBytes: Int = 64 << 20) {
            self.retention = retention
            self.maxStreams = max(1, maxStreams)
            self.maxEventsPerStream = max(1, maxEventsPerStream)
            self.maxBytes = max(0, maxBytes)
        }
    }

    private struct State {
        var entries = LRUMap<String, Entry>()
        var bytes = 0
    }

    private let state = Mutex(State())
    public let limits: Limits
    private let now: @Sendable () -> Double

    public init(limits: Limits, now: @escaping @Sendable () -> Double) {
        self.limits = limits
        self.now = now
    }

    public convenience init(retention: Double, maxStreams: Int, maxEventsPerStream: Int = 1024, now: @escaping @Sendable () -> Double) {
        self.init(limits: Limits(retention: retention, maxStreams: maxStreams, maxEventsPerStream: maxEventsPerStream), now: now)
    }

    public func begin(_ plan: StreamPlan, owner: String? = nil) {
        let time = now()
        state.withLock { state in
            purge(&state, time: time)
            if let old = state.entries.remove(plan.streamID) { state.bytes -= old.bytes }
            while state.entries.count >= limits.maxStreams, let dropped = state.entries.removeOldest() {
                state.bytes -= dropped.value.bytes
            }
            state.entries.set(plan.streamID, Entry(plan: plan, owner: owner, touchedAt: time))
        }
    }

    public func record(streamID: String, sequence: Int, frame: String, finished: Bool) {
        let time = now()
        let limits = self.limits
        state.withLock { state in
            let delta = state.entries.update(streamID) { entry -> Int in
                var delta = 0
                if entry.events.last.map({ $0.sequence < sequence }) ?? true {
                    entry.events.append((sequence, frame))
                    delta += frame.utf8.count
                    if entry.events.count > limits.maxEventsPerStream {
                        let extra = entry.events.count - limits.maxEventsPerStream
                        delta -= entry.events.prefix(extra).reduce(0) { $0 + $1.frame.utf8.count }
                        entry.events.removeFirst(extra)
                    }
                }
                entry.bytes += delta
                entry.finished = entry.finished || finished
                entry.touchedAt = time
                return delta
            }
            guard let delta else { return }
            state.bytes += delta
            // Over the byte budget: the least recently written streams go (this one last of all).
            while state.bytes > limits.maxBytes, let dropped = state.entries.removeOldest() {
                state.bytes -= dropped.value.bytes
            }
        }
    }

    /// The stream, if it is still retained.
    public func entry(streamID: String) -> Entry? {
        let time = now()
        return state.withLock { state in
            guard let entry = state.entries.peek(streamID), time - entry.touchedAt <= limits.retention else { return nil }
            return entry
        }
    }

    /// Frees every stream not written for longer than the retention; returns how many went.
    @discardableResult
    public func purgeExpired() -> Int {
        let time = now()
        return state.withLock { purge(&$0, time: time) }
    }

    public var count: Int { state.withLock { $0.entries.count } }
    /// UTF-8 bytes of all frames held.
    public var bytes: Int { state.withLock { $0.bytes } }

    /// Least recently written first, so the expired ones are all at the old end.
    @discardableResult
    private func purge(_ state: inout State, time: Double) -> Int {
        var purged = 0
        while let oldest = state.entries.oldest, time - oldest.value.touchedAt > limits.retention {
            state.entries.removeOldest()
            state.bytes -= oldest.value.bytes
            purged += 1
        }
        return purged
    }
}
