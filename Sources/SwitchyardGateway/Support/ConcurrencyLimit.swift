/// At most `limit` holders at once; the others wait in arrival order. What a model server's batch size
/// does to completions beyond it: they queue, and their latency grows with the queue.
public actor ConcurrencyLimit {
    public let limit: Int
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Waits for a place.
    public func acquire() async {
        if active < limit {
            active += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives the place to the first waiting, or frees it.
    public func release() {
        if waiting.isEmpty {
            active -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Holders now, and those waiting.
    public var load: (active: Int, waiting: Int) { (active, waiting.count) }
}
