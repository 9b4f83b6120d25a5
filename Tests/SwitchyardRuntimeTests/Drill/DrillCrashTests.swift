import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `yard drill run` killed with SIGKILL while its fault is in place: the next start runs the
/// journaled restores before anything else, and the run's report says so.
@Suite("A drill killed midway", .serialized)
struct DrillCrashTests {
    static let basePort = 23500

    static func workspace() throws -> URL {
        try workspace(prefix: "drill-crash", topology: "crash",
                      FleetManifests.topology(name: "crash", basePort: basePort, drainTimeout: "5s", extraBalancerLines: ["failTimeout: 5s"]),
                      drill: """
            apiVersion: switchyard/v1
            kind: DrillPlaybook
            name: drill-crash
            topology: crash
            steadyState:
              - name: ready
                path: /readyz
                requests: 3
            load: {requestsPerSecond: 20, streams: 2, streamDuration: 2s}
            fault: {kind: zone-outage, zone: zone-a, mode: stop}
            duration: 2m
            objectives: {rto: 10s, minSuccessRate: 99%}
            """)
    }

    /// A folder for `yard` with the topology `name` (its text), a release playbook of its gateway gated on readiness
    /// alone, and the drill playbook `drill`.
    static func workspace(prefix: String, topology name: String, _ topology: String, drill: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(6))")
        for sub in ["topologies", "playbooks"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try topology.write(to: folder.appendingPathComponent("topologies/\(name).yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: switchyard/v1
        kind: ReleasePlaybook
        name: release-\(name)
        topology: \(name)
        service: gateway
        gates:
          - name: ready
            kind: http
            path: /readyz
        preGates: [ready]
        bake: {duration: 1s, interval: 1s, gates: []}
        """.write(to: folder.appendingPathComponent("playbooks/release.yaml"), atomically: true, encoding: .utf8)
        try drill.write(to: folder.appendingPathComponent("playbooks/drill.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    static var binDirectory: String { get throws { try GatewayProcess.binary().deletingLastPathComponent().path } }

    /// Runs `yard` in `folder` to completion (at most 2 minutes); its output is logged in the folder.
    static func yard(_ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String) {
        let (pid, log) = try start(arguments, in: folder)
        let status = await Spawner.waitForExit(pid, timeout: .seconds(120)) ?? -1
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    /// Starts `yard` in `folder` (through the shell, for the working directory), its output to a log file there.
    static func start(_ arguments: [String], in folder: URL) throws -> (pid: Int32, log: String) {
        let bin = try binDirectory
        let log = folder.appendingPathComponent("yard-\(UUID().uuidString.prefix(6)).log").path
        let pid = try Spawner.spawn(["/bin/sh", "-c", "cd '\(folder.path)' && exec '\(bin)/yard' \(arguments.joined(separator: " "))"],
                                    logPath: log, environment: ["SWITCHYARD_BIN_DIR": bin])
        return (pid, log)
    }

    static func gateways(_ folder: URL) -> Int {
        let service = Service(name: "gateway", zones: ["zone-a", "zone-b"], replicasPerZone: 2, loadBalancer: "edge",
                              instance: InstanceSpec(command: "yard-gateway --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance}",
                                                     ports: PortRange(first: basePort + 4)), capacityQPS: 100)
        return ProcessInstanceDriver.find(service, service.instances).values.reduce(0) { $0 + $1.count }
    }

    @Test func theNextStartRunsThePendingRestoresAndTheReportSaysSo() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let up = try await Self.yard(["up", "gateway", "--version", "1.0.0"], in: folder)
        #expect(up.status == 0, "\(up.output)")
        do {
            try await Self.killAndRestart(folder)
        } catch {
            _ = try? await Self.yard(["down", "gateway"], in: folder)
            throw error
        }
        let down = try await Self.yard(["down", "gateway"], in: folder)
        #expect(down.status == 0, "\(down.output)")
        #expect(Self.gateways(folder) == 0)
    }

    /// Starts `yard drill run PLAYBOOK` in `folder`, SIGKILLs it once its report says the fault is injected, and
    /// returns the run's id.
    static func killedOnceInjected(_ playbook: String, in folder: URL, store: any StateStore, within: Duration) async throws -> String {
        let drill = try Self.start(["drill", "run", playbook], in: folder)
        let clock = ContinuousClock()
        let start = clock.now
        var runID: String?
        while clock.now - start < within {
            if let run = try await store.listDrillRuns(playbook: playbook, limit: 1).first,
               let report = try? run.report?.decode(DrillReport.self), report.steps.contains(where: { $0.step == "inject" && $0.status == "done" }) {
                runID = run.id
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let id = runID else {
            kill(drill.pid, SIGKILL)
            _ = await Spawner.waitForExit(drill.pid, timeout: .seconds(5))
            throw TestFailure("the drill never injected its fault")
        }
        kill(drill.pid, SIGKILL)
        _ = await Spawner.waitForExit(drill.pid, timeout: .seconds(5))
        return id
    }

    static func killAndRestart(_ folder: URL) async throws {
        #expect(Self.gateways(folder) == 4)

        // Start the drill and kill it once the fault is in place.
        let store = try SQLiteStateStore(path: folder.appendingPathComponent(".yard/state.sqlite").path)
        let id = try await Self.killedOnceInjected("drill-crash", in: folder, store: store, within: .seconds(30))
        #expect(Self.gateways(folder) == 2, "zone-a's two instances are down while the drill is dead")
        #expect(try await store.pendingRestoreActions(run: id).count == 1)
        #expect(try await store.drillRun(id: id)?.isFinished == false)

        // The next start (a dry run does nothing; a history listing neither) restores before anything else.
        let next = try await Self.yard(["drill", "run", "drill-crash", "--duration", "2s", "--settle", "12s"], in: folder)
        #expect(next.output.contains("restored interrupted drill \(id)"), "\(next.output)")
        #expect(Self.gateways(folder) == 4)
        #expect(try await store.pendingRestoreActions(run: id).isEmpty)
        let record = try #require(try await store.drillRun(id: id))
        #expect(record.isFinished)
        #expect(record.status == "restored-after-crash")
        let report = try #require(try record.report?.decode(DrillReport.self))
        #expect(report.restoredAfterCrash)
        #expect(report.outcome == .error)
        #expect(report.notes.contains { $0.contains("pending restore ran at the next start") })
    }
}
