import Foundation

extension YarddClient {
    /// How one connection to an event stream ended: with the stream's end value, or closed early (then it reconnects).
    enum StreamAttempt<End> {
        case ended(End)
        case closed(String)
    }

    /// Runs `attempt` (one connection to an event stream, resuming where the last one stopped) until it reaches the
    /// stream's end. A dropped connection, an unreachable daemon or a 502/503 (a daemon restarting, a standby) is
    /// retried after `retryDelay`; it gives up when no attempt received anything for `window`. `attempt` calls its
    /// argument when an event arrives. Shared by the release and the drill event streams.
    func reconnecting<End>(_ id: String, window: Duration, retryDelay: Duration,
                           attempt: (_ received: () -> Void) async throws(Failure) -> StreamAttempt<End>,
                           onReconnect: (_ reason: String) async -> Void) async throws(Failure) -> End {
        let clock = ContinuousClock()
        var failingSince: ContinuousClock.Instant?
        while true {
            var received = false
            let reason: String
            let target = server
            do {
                switch try await attempt({ received = true }) {
                case .ended(let end): return end
                case .closed(let why): reason = why
                }
            } catch .unreachable(_, let why) {
                reason = why
                // Several daemons on one store: any of them serves the stream, from the same journal.
                choice.advance(from: target)
            } catch .api(let failure) where failure.status == 503 || failure.status == 502 {
                reason = "HTTP \(failure.status) \(failure.code)"
                choice.advance(from: target)
            } catch {
                throw error
            }
            if received { failingSince = nil }
            let since = failingSince ?? clock.now
            failingSince = since
            guard clock.now - since < window else {
                throw .unreachable(server: server, reason: "lost the event stream of \(id) (\(reason)) and could not reconnect for \(window)")
            }
            await onReconnect(reason)
            try? await Task.sleep(for: retryDelay)
            if Task.isCancelled { throw .unreachable(server: server, reason: "cancelled") }
        }
    }
}
