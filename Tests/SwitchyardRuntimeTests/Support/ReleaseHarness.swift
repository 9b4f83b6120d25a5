import SwitchyardTesting
import Foundation
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A whole local fleet for one test: a topology on its own ports, its own nginx prefix and state
/// file in a temporary folder, real gateway processes and a real nginx. `down()` stops everything.
struct ReleaseHarness {
    var fleet: ScratchFleet

    init(basePort: Int) throws {
        setenv("SWITCHYARD_BIN_DIR", try GatewayProcess.binary().deletingLastPathComponent().path, 1)
        fleet = try ScratchFleet(basePort: basePort, drainTimeout: .seconds(20))
    }

    var folder: URL { fleet.folder }
    var topology: Topology { fleet.topology }
    var store: SQLiteStateStore { fleet.store }
    var playbook: ReleasePlaybook {
        get { fleet.playbook }
        set { fleet.playbook = newValue }
    }
    var listener: HostPort { fleet.listener }

    func context(environment: [String: String] = [:]) throws -> ReleaseContext {
        var context = try fleet.context(environment: environment)
        context.deployTimeout = .seconds(20)
        return context
    }

    func load(rps: Double = 100, streams: Int = 50, streamTokens: Int = 40) -> LoadGenerator {
        fleet.load(rps: rps, streams: streams, streamTokens: streamTokens)
    }

    func up(_ version: String = "1.0.0") async throws { try await fleet.up(version) }

    func down() async {
        if let context = try? context() { await Fleet(context: context).down() }
        await fleet.forceDown()
    }

    /// Runs `body` with the fleet up at 1.0.0 and always takes it down.
    static func with(basePort: Int, configure: (inout ReleaseHarness) -> Void = { _ in }, _ body: (ReleaseHarness) async throws -> Void) async throws {
        var harness = try ReleaseHarness(basePort: basePort)
        configure(&harness)
        do {
            try await harness.up()
            try await body(harness)
        } catch {
            await harness.down()
            throw error
        }
        await harness.down()
    }

    /// What the fleet's nginx routes now, read back from the listener's header.
    func routingHeader() async throws -> String? {
        let request = HTTPClientRequest(url: "http://\(listener)/healthz")
        let response = try await YardHTTPClient.shared.execute(request, timeout: .seconds(2))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.headers.first(name: "X-Yard-Routing")
    }
}

import AsyncHTTPClient
