import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// The `yard release` process is killed with SIGKILL in a given phase and started again: the
/// release converges (promoted, or rolled back when it was failing), nginx routes to a ready slot,
/// no instance runs twice, and no stream under load is cut.
@Suite(.serialized)
struct ReleaseCrashTests {
    static let cases: [(ReleaseMachine.Phase, Int, Bool)] = [
        (.deploying, 21700, false), (.verifying, 21720, false), (.baking, 21740, false),
        (.scalingDown, 21760, false), (.rollingBack, 21780, true),
    ]

    @Test(arguments: cases)
    func killedReleaseConverges(phase: ReleaseMachine.Phase, basePort: Int, faulty: Bool) async throws {
        let workspace = try CLIWorkspace(basePort: basePort)
        defer { workspace.tearDown() }
        #expect(try await workspace.yard(["up", "gateway", "--version", "1.0.0"]).status == 0)

        let load = LoadGenerator(configuration: LoadConfiguration(target: "127.0.0.1:\(basePort)", requestsPerSecond: 50, streams: 10, streamTokens: 30))
        load.start()

        let arguments = ["release", "gateway", "--version", "2.0.0", "--bake", "3s", "--interval", "1s", "--scale-down-delay", "1s"]
        let environment = faulty ? ["YARD_FAULT_FIRST_TOKEN_LATENCY": "400ms"] : [:]
        let first = try workspace.start(arguments, environment: environment)
        let store = try SQLiteStateStore(path: workspace.folder.appendingPathComponent(".yard/state.sqlite").path)
        var killedIn: ReleaseMachine.Phase?
        for _ in 0..<3000 {
            if let record = try? await store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == phase || record.isFinished {
                kill(first, SIGKILL)
                killedIn = record.phase
                break
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        _ = await Spawner.waitForExit(first, timeout: .seconds(5))
        #expect(killedIn == phase, "the release was in \(killedIn?.rawValue ?? "no phase") when killed")

        let second = try await workspace.yard(arguments, environment: environment)
        #expect(second.status == (faulty ? 2 : 0), "\(second.output)")
        #expect(second.output.contains("resuming"), "\(second.output)")
        try await Task.sleep(for: .seconds(1))
        let report = await load.stop()

        let expected: Slot = faulty ? .blue : .green
        let routing = try #require(try await store.routing(service: "gateway"))
        #expect(routing.live == ["zone-a": expected, "zone-b": expected])
        let service = workspace.topology.services[0]
        let driver = ProcessInstanceDriver(logDirectory: "/tmp", readiness: ReadinessChecker(client: YardHTTPClient.shared))
        let live = await driver.running(service, slot: expected)
        #expect(live.count == 4, "one process per instance of the live slot: \(live.map(\.id.name))")
        for instance in live { #expect(await ReadinessChecker(client: YardHTTPClient.shared).isReady(instance.address, path: "/readyz")) }
        #expect(await driver.running(service, slot: expected.other).isEmpty)
        #expect(report.streams.cut == 0, "\(report.streams)")
        #expect(report.requests.failed == 0, "\(report.requests)")
        let record = try #require(try await store.listReleases(ReleaseQuery(limit: 1)).first)
        #expect(record.outcome == (faulty ? .rolledBack : .promoted))
        let journal = try await store.journal(release: record.id)
        #expect(journal.contains { $0.message.hasPrefix("resumed in phase \(phase.rawValue)") })
        _ = try await workspace.yard(["down", "gateway"])
    }
}

/// A folder with a topology and a release playbook on private ports, where the real `yard` runs.
struct CLIWorkspace {
    let folder: URL
    let topology: Topology
    let binaries: URL

    init(basePort: Int, topologyText: String? = nil) throws {
        binaries = try GatewayProcess.binary().deletingLastPathComponent()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-cli-\(basePort)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("topologies"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("playbooks"), withIntermediateDirectories: true)
        let topologyText = topologyText ?? FleetManifests.topology(name: "crash", basePort: basePort, lbDrainTimeout: "2m", drainTimeout: "20s")
        let playbookText = """
        apiVersion: switchyard/v1
        kind: ReleasePlaybook
        name: release-gateway
        topology: crash
        service: gateway
        preGates: [ready, smoke]
        bake: {duration: 3s, interval: 1s, gates: [errors, ttft]}
        scaleDownDelay: 1s
        gates:
          - {name: ready, kind: http, path: /readyz}
          - {name: smoke, kind: sse, streams: 3, firstEventWithin: 1s}
          - {name: errors, kind: metric, measure: error-rate, max: 5%}
          - {name: ttft, kind: metric, measure: p99-ttft, max: 250ms}
        """
        try topologyText.write(to: folder.appendingPathComponent("topologies/crash.yaml"), atomically: true, encoding: .utf8)
        try playbookText.write(to: folder.appendingPathComponent("playbooks/release.yaml"), atomically: true, encoding: .utf8)
        let decoded = ManifestDecoder.decode(text: topologyText, file: "crash.yaml")
        guard case .topology(let topology)? = decoded.manifests.first?.manifest else { throw CLIWorkspaceError(message: "\(decoded.diagnostics)") }
        self.topology = topology
    }

    struct CLIWorkspaceError: Error { var message: String }

    /// Starts `yard` in the workspace and returns its pid at once.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
        let log = folder.appendingPathComponent("yard-\(UUID().uuidString.prefix(4)).log").path
        var env = environment
        env["SWITCHYARD_BIN_DIR"] = binaries.path
        return try FileManager.default.changingDirectory(to: folder.path) {
            try Spawner.spawn([binaries.appendingPathComponent("yard").path] + arguments, logPath: log, environment: env)
        }
    }

    /// Runs `yard` in the workspace to the end.
    func yard(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let log = folder.appendingPathComponent("yard-\(UUID().uuidString.prefix(4)).log").path
        var env = environment
        env["SWITCHYARD_BIN_DIR"] = binaries.path
        let pid = try FileManager.default.changingDirectory(to: folder.path) {
            try Spawner.spawn([binaries.appendingPathComponent("yard").path] + arguments, logPath: log, environment: env)
        }
        let status = await Spawner.waitForExit(pid, timeout: .seconds(120)) ?? -1
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    func tearDown() {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
        let ports = topology.services[0].instances.map { "--port \($0.port) " }
        for pid in pids {
            guard let line = ProcessTable.commandLine(of: pid) else { continue }
            if line.contains("yard-gateway"), ports.contains(where: { line.contains($0) }) { kill(pid, SIGKILL) }
            if line.hasPrefix("nginx: master"), line.contains(folder.path) {
                for child in ProcessTable.children(of: pid) { kill(child, SIGKILL) }
                kill(pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

extension FileManager {
    /// Runs `body` with the process's working directory set to `path` (spawned children inherit it).
    /// Tests in this suite run one at a time, so the process-wide change is safe here.
    func changingDirectory<T>(to path: String, _ body: () throws -> T) throws -> T {
        let previous = currentDirectoryPath
        guard changeCurrentDirectoryPath(path) else { throw CocoaError(.fileNoSuchFile) }
        defer { _ = changeCurrentDirectoryPath(previous) }
        return try body()
    }
}
