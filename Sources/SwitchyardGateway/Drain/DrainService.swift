import Logging
import ServiceLifecycle
import SwitchyardCore

/// The service that turns SIGTERM into a drain. It is the last service of the group, so it is
/// told of a graceful shutdown first, while the HTTP server is still accepting: readiness goes
/// false, new requests get 503 with `Connection: close`, and open streams run to their end. When
/// they have all ended (or the drain timeout passed and the rest were cut) it returns, and only
/// then the HTTP server is shut down.
struct DrainService: ServiceLifecycle.Service {
    let drain: DrainState
    let timeout: TimeSpan
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is going down without a drain
        }
        drain.beginDrain()
        logger.info("draining", metadata: ["open_streams": "\(drain.counts.open)", "drain_timeout": "\(timeout)"])
        let clock = ContinuousClock()
        let deadline = clock.now + timeout.duration
        while drain.counts.open > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if drain.counts.open > 0 {
            logger.warning("drain timeout passed, cutting open streams", metadata: ["open_streams": "\(drain.counts.open)"])
            drain.beginCutting()
            // A stream notices within one wait slice (at most a second).
            let cutDeadline = clock.now + .seconds(3)
            while drain.counts.open > 0, clock.now < cutDeadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let counts = drain.counts
        logger.info(
            "drain finished",
            metadata: ["completed": "\(counts.completed)", "cut": "\(counts.cut)", "abandoned": "\(counts.abandoned)"]
        )
    }
}
