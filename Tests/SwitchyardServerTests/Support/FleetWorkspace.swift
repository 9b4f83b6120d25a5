import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting
#if canImport(Glibc)
import Glibc
#endif

/// A folder with a topology and a release playbook on private loopback ports (nginx listener on `basePort`, preview
/// on `basePort + 1`, 8 gateway instances from `basePort + 4`), real `yard-gateway` processes and a real nginx, where
/// a daemon (in this process or as the `yardd` executable) releases for real. `tearDown()` kills what it started.
struct FleetWorkspace {
    let folder: URL
    let basePort: Int
    let catalog: ManifestCatalog

    var statePath: String { folder.appendingPathComponent(".yard/state.sqlite").path }
    var topology: Topology { catalog.set.topologies[0] }
    var service: Service { topology.services[0] }

    /// The folder of the built executables (`yard`, `yardd`, `yard-gateway`); also set as `$SWITCHYARD_BIN_DIR` so
    /// the process driver finds the gateway.
    static func binaries() throws -> URL {
        let folder = try GatewayProcess.binary().deletingLastPathComponent()
        setenv("SWITCHYARD_BIN_DIR", folder.path, 1)
        return folder
    }

    init(basePort: Int, bake: String = "3s") throws {
        _ = try Self.binaries()
        self.basePort = basePort
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yardd-fleet-\(basePort)-\(UUID().uuidString.prefix(6))")
        for name in ["topologies", "playbooks", ".yard"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let topology = FleetManifests.topology(name: "daemon-\(basePort)", basePort: basePort, gatewayArguments: "--token-delay 20ms")
        let playbook = FleetManifests.releasePlaybook(topology: "daemon-\(basePort)", bake: bake)
        try topology.write(to: folder.appendingPathComponent("topologies/daemon.yaml"), atomically: true, encoding: .utf8)
        try playbook.write(to: folder.appendingPathComponent("playbooks/release-gateway.yaml"), atomically: true, encoding: .utf8)
        catalog = try ManifestCatalog.load(directory: folder.path)
    }

    func store() throws -> SQLiteStateStore { try SQLiteStateStore(path: statePath) }

    /// The fleet's first version, live in blue, started from this process as `yard up` would.
    func up(_ version: String = "1.0.0", store: any StateStore) async throws {
        let context = try ReleaseContext.processes(topology: topology, playbook: catalog.set.releasePlaybooks[0], store: store,
                                                   workingDirectory: folder.path, logDirectory: folder.appendingPathComponent(".yard/logs").path,
                                                   actor: "test")
        _ = try await Fleet(context: context).up(version: version)
    }

    /// Kills the fleet's gateways (by their ports) and its nginx (by its prefix in this folder), then removes the folder.
    func tearDown() async {
        let killed = await FleetProcesses.stop(folder: folder.path, gatewayPorts: service.instances.map(\.port))
        // Reap the ones that are this process's children (started by a release run in-process), and only those.
        var status: Int32 = 0
        for pid in killed { _ = waitpid(pid, &status, WNOHANG) }
        for pid in Self.exitedChildren() { _ = waitpid(pid, &status, WNOHANG) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Children of this process that have exited and wait to be reaped: gateways of the fleet's first version,
    /// started here by `up` and stopped by a release.
    static func exitedChildren() -> [Int32] {
        let me = getpid()
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
            .filter { ProcessTable.parent(of: $0) == me && ProcessTable.state(of: $0) == "Z" }
    }
}
