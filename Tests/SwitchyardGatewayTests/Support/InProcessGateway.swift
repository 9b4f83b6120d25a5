import SwitchyardTesting
import Foundation
import Logging
import SwitchyardCore
@testable import SwitchyardGateway

/// A real gateway on an ephemeral loopback port inside the test process, shut down (gracefully,
/// with a short drain) when the body returns or throws.
struct InProcessGateway: Sendable {
    let server: GatewayServer
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var chatURL: String { baseURL + "/v1/chat/completions" }

    static func testConfiguration() -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        configuration.port = 0
        configuration.tokens = 5
        configuration.tokenDelay = .ms(1)
        configuration.drainTimeout = .ms(500)
        configuration.identity = GatewayIdentity(service: "gateway", version: "9.9.9", zone: "z1", slot: "green", instance: "gw-test")
        return configuration
    }

    static func with<T: Sendable>(
        _ configure: (inout GatewayConfiguration) -> Void = { _ in },
        log: CapturedLog? = nil,
        _ body: @Sendable (InProcessGateway) async throws -> T
    ) async throws -> T {
        var configuration = testConfiguration()
        configure(&configuration)
        var logger = log?.logger ?? Logger(label: "yard-gateway-test")
        logger.logLevel = .warning
        let server = GatewayServer(configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = server.makeServiceGroup { _, port in
            continuation.yield(port)
            continuation.finish()
        }
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("the gateway never reported a port") }
            let gateway = InProcessGateway(server: server, port: port)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(gateway))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
