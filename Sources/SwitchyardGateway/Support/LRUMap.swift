/// A dictionary that remembers the order its entries were last used in, so the least recently
/// used one can be dropped in O(1). Pure and not thread-safe: its owners keep it behind a lock.
///
/// Nodes live in one array linked by index (no class per entry); freed slots are reused.
public struct LRUMap<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    private var index: [Key: Int] = [:]
    private var nodes: [Node?] = []
    private var free: [Int] = []
    private var newest: Int?
    private var oldestSlot: Int?

    public init() {}

    public var count: Int { index.count }
    public var isEmpty: Bool { index.isEmpty }

    /// The value, without counting as a use.
    public func peek(_ key: Key) -> Value? {
        index[key].flatMap { nodes[$0]?.value }
    }

    /// The least recently used entry.
    public var oldest: (key: Key, value: Value)? {
        oldestSlot.flatMap { nodes[$0] }.map { ($0.key, $0.value) }
    }

    /// Sets the value and marks the entry as the most recently used.
    public mutating func set(_ key: Key, _ value: Value) {
        if let slot = index[key] {
            nodes[slot]!.value = value
            moveToNewest(slot)
            return
        }
        let node = Node(key: key, value: value, newer: nil, older: newest)
        let slot: Int
        if let reused = free.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if let newest { nodes[newest]!.newer = slot }
        newest = slot
        if oldestSlot == nil { oldestSlot = slot }
        index[key] = slot
    }

    /// Edits the value in place (no copy of it) and marks the entry as the most recently used;
    /// nil when the key is absent.
    public mutating func update<R>(_ key: Key, _ body: (inout Value) -> R) -> R? {
        guard let slot = index[key] else { return nil }
        let result = body(&nodes[slot]!.value)
        moveToNewest(slot)
        return result
    }

    @discardableResult
    public mutating func remove(_ key: Key) -> Value? {
        guard let slot = index.removeValue(forKey: key), let node = nodes[slot] else { return nil }
        unlink(slot, node)
        nodes[slot] = nil
        free.append(slot)
        return node.value
    }

    @discardableResult
    public mutating func removeOldest() -> (key: Key, value: Value)? {
        guard let entry = oldest else { return nil }
        remove(entry.key)
        return entry
    }

    /// Keys from the least to the most recently used.
    public var keysOldestFirst: [Key] {
        var keys: [Key] = []
        var slot = oldestSlot
        while let current = slot, let node = nodes[current] {
            keys.append(node.key)
            slot = node.newer
        }
        return keys
    }

    private mutating func moveToNewest(_ slot: Int) {
        guard newest != slot, let node = nodes[slot] else { return }
        unlink(slot, node)
        nodes[slot]!.older = newest
        nodes[slot]!.newer = nil
        if let newest { nodes[newest]!.newer = slot }
        newest = slot
        if oldestSlot == nil { oldestSlot = slot }
    }

    private mutating func unlink(_ slot: Int, _ node: Node) {
        if let newer = node.newer { nodes[newer]!.older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older]!.newer = node.newer } else { oldestSlot = node.newer }
    }
}

extension LRUMap: Sendable where Key: Sendable, Value: Sendable {}
extension LRUMap.Node: Sendable where Key: Sendable, Value: Sendable {}
