import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting

/// What one benchmark run drives: a folder with the test fleet's manifests (a real nginx and 8 `yard-gateway` on
/// private loopback ports from `basePort`), its state in a PostgreSQL database, the fleet live in blue, an operator
/// token, and `count` yardd processes on that database. `tearDown()` stops them all.
final class TakeoverFleet {
    let folder: URL
    let basePort: Int
    let state: String
    let store: any StateStore
    private(set) var token = ""
    let binaries: URL
    let lease: String
    private(set) var daemons: [YarddExecutable] = []

    init(basePort: Int, bake: String, lease: String, state: String, binaries: URL) async throws {
        self.basePort = basePort
        self.state = state
        self.binaries = binaries
        self.lease = lease
        setenv("SWITCHYARD_BIN_DIR", binaries.path, 1)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-bench-takeover-\(UUID().uuidString.prefix(8))")
        for name in ["topologies", "playbooks", ".yard/logs"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try FleetManifests.topology(name: "takeover", basePort: basePort, gatewayArguments: "--token-delay 20ms")
            .write(to: folder.appendingPathComponent("topologies/takeover.yaml"), atomically: true, encoding: .utf8)
        try FleetManifests.releasePlaybook(topology: "takeover", bake: bake)
            .write(to: folder.appendingPathComponent("playbooks/release-gateway.yaml"), atomically: true, encoding: .utf8)
        store = try await StateLocation.open(state)
    }

    /// The fleet's first version, live in blue, and an operator token.
    func up() async throws {
        let catalog = try ManifestCatalog.load(directory: folder.path)
        let context = try ReleaseContext.processes(topology: catalog.set.topologies[0], playbook: catalog.set.releasePlaybooks[0], store: store,
                                                   workingDirectory: folder.path, logDirectory: folder.appendingPathComponent(".yard/logs").path,
                                                   actor: "bench")
        _ = try await Fleet(context: context).up(version: "1.0.0")
        token = try await TokenAdmin.create(name: "bench", role: .operator, in: store, actor: "bench").1
    }

    var ports: [Int] { daemons.map(\.port) }

    /// Starts yardd on `port` and returns once it listens.
    func start(port: Int) async throws {
        let daemon = try await YarddExecutable.start(binaries: binaries, manifests: folder, port: port, state: state, arguments: ["--lease", lease])
        daemons.removeAll { $0.port == port }
        daemons.append(daemon)
    }

    /// The role `/readyz` of the daemon on `port` gives (`leader`, `standby`, `electing`); nil when it does not answer.
    func role(_ port: Int) async -> String? {
        guard let client = try? YarddClient(server: "http://127.0.0.1:\(port)", token: nil) else { return nil }
        return (try? await client.call(.GET, "/readyz", as: [String: String].self))?["role"]
    }

    /// The daemon that leads, polled until one says so (at most `within`), and when it first said so.
    func leader(among candidates: [YarddExecutable]? = nil, within: Duration = .seconds(60)) async throws -> (YarddExecutable, ContinuousClock.Instant) {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            for daemon in candidates ?? daemons where await role(daemon.port) == "leader" { return (daemon, ContinuousClock.now) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchFailure("no daemon led within \(within)")
    }

    /// Stops every daemon, the gateways and nginx of the fleet, and removes the folder.
    func tearDown() async {
        for daemon in daemons { await daemon.stop(grace: .seconds(10)) }
        await FleetProcesses.stop(folder: folder.path, gatewayPorts: (0..<8).map { basePort + 4 + $0 })
        var status: Int32 = 0
        while waitpid(-1, &status, WNOHANG) > 0 {}
        try? FileManager.default.removeItem(at: folder)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
