import ServiceLifecycle
import SwitchyardCore

/// Frees expired streams from the store on a timer, so memory falls back after a burst even when
/// no new stream arrives. Stops on graceful shutdown.
struct StreamPurgeService: ServiceLifecycle.Service {
    let store: StreamStore
    let interval: Duration

    /// A tenth of the retention, between 100 ms and 10 s.
    static func interval(retention: TimeSpan) -> Duration {
        let tenth = max(100, min(10_000, retention.milliseconds / 10))
        return .milliseconds(tenth)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                store.purgeExpired()
            }
        }
    }
}
