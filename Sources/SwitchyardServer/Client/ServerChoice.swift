import Synchronization

/// The daemons a client may talk to (several standbys and one leader on one store) and the one it talks to now. A
/// client moves on when the current one is unreachable, and goes to the leader a standby names; every copy of the
/// client shares the choice.
final class ServerChoice: Sendable {
    let servers: [String]
    private let current: Mutex<String>

    init(_ servers: [String]) {
        precondition(!servers.isEmpty)
        self.servers = servers
        current = Mutex(servers[0])
    }

    var server: String { current.withLock { $0 } }

    /// The next server of the list after `failed` (the first after the last); false when there is only one.
    @discardableResult
    func advance(from failed: String) -> Bool {
        guard servers.count > 1 else { return false }
        current.withLock { now in
            guard now == failed else { return }
            let index = servers.firstIndex(of: failed) ?? -1
            now = servers[(index + 1) % servers.count]
        }
        return true
    }

    /// Goes to `leader` (named by a standby), also when it is not in the list.
    func use(_ leader: String) { current.withLock { $0 = leader } }
}
