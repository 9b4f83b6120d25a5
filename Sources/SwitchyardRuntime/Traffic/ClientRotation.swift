import AsyncHTTPClient
import Foundation
import Synchronization

/// A fresh HTTP client every `period`, as if new users kept arriving. One long-lived client is the wrong
/// observer of an outage: after its connections are refused, AsyncHTTPClient backs off new connections
/// (100 ms x 1.25^n, up to a minute), so it would report the outage long after the service is back.
/// Every client made is shut down by `shutdown()`, once the traffic has stopped.
public final class ClientRotation: Sendable {
    public let period: Duration
    private struct State {
        var current: HTTPClient?
        var since: ContinuousClock.Instant
        var made: [HTTPClient] = []
    }
    private let state: Mutex<State>

    public init(period: Duration = .seconds(1)) {
        self.period = period
        state = Mutex(State(since: .now))
    }

    public func current() -> HTTPClient {
        state.withLock { state in
            let now = ContinuousClock.now
            if let client = state.current, now - state.since < period { return client }
            let client = YardHTTPClient.make(connectionsPerHost: 1024)
            state.current = client
            state.since = now
            state.made.append(client)
            return client
        }
    }

    public func shutdown() async {
        let clients = state.withLock { state in
            defer { state.made = []; state.current = nil }
            return state.made
        }
        for client in clients { try? await client.shutdown() }
    }
}
