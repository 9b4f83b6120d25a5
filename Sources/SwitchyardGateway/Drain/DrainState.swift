import Synchronization

/// Whether the instance is draining, and how many streams are open, completed, cut or abandoned.
/// Read on every request, so it is a lock around a few integers rather than an actor hop.
public final class DrainState: Sendable {
    public struct Counts: Sendable, Hashable {
        public var open = 0
        public var completed = 0
        /// Ended by the server: the drain timeout passed while they were open.
        public var cut = 0
        /// Ended by the client going away.
        public var abandoned = 0
    }

    private struct State {
        var draining = false
        var cutting = false
        var counts = Counts()
    }

    private let state = Mutex(State())

    public init() {}

    public var isDraining: Bool { state.withLock { $0.draining } }
    /// Set once the drain timeout passed: open streams must end now.
    public var isCutting: Bool { state.withLock { $0.cutting } }
    public var counts: Counts { state.withLock { $0.counts } }

    public func beginDrain() { state.withLock { $0.draining = true } }
    public func beginCutting() { state.withLock { $0.cutting = true } }

    public func streamOpened() { state.withLock { $0.counts.open += 1 } }

    public enum StreamEnd: Sendable { case completed, cut, abandoned }

    public func streamClosed(_ end: StreamEnd) {
        state.withLock {
            $0.counts.open -= 1
            switch end {
            case .completed: $0.counts.completed += 1
            case .cut: $0.counts.cut += 1
            case .abandoned: $0.counts.abandoned += 1
            }
        }
    }
}
