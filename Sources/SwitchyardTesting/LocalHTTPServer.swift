import Foundation
import Hummingbird
import Logging
import NIOCore

/// A real HTTP server of a test's own on an ephemeral loopback port, for the length of a body: test doubles
/// of servers Switchyard talks to (a Prometheus, a webhook receiver) are routers run through this.
public enum LocalHTTPServer {
    /// Runs `router` and gives `body` the server's base URL (`http://127.0.0.1:PORT`); the server stops when it returns.
    public static func with<T: Sendable>(_ router: Router<BasicRequestContext>, name: String,
                                         _ body: @Sendable (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // Stopped by cancellation, which the server logs as errors: keep it quiet.
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { tasks.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestFailure("\(name) never reported a port") }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}
