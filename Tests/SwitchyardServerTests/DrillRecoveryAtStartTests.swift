import Foundation
import Logging
import SwitchyardCore
import SwitchyardRuntime
import Testing
@testable import SwitchyardServer
#if canImport(Glibc)
import Glibc
#endif

/// yardd killed mid-drill: the next start runs the drill's pending restores before anything else.
@Suite("Drill recovery at daemon start")
struct DrillRecoveryAtStartTests {
    @Test func aDrillInterruptedByADaemonCrashIsRestoredWhenTheDaemonStarts() async throws {
        // A process the dead daemon's drill had frozen (a zone-outage in freeze mode).
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("frozen-\(UUID().uuidString.prefix(6)).log").path
        let frozen = try Spawner.spawn(["/bin/sleep", "120"], logPath: log)
        defer {
            kill(frozen, SIGKILL)
            try? FileManager.default.removeItem(atPath: log)
        }
        kill(frozen, SIGSTOP)
        try await Task.sleep(for: .milliseconds(100))
        #expect(ProcessTable.state(of: frozen) == "T")

        let run = "drill-20261125-000000-drill-zone-outage-dead"
        let host = ProcessInfo.processInfo.hostName
        try await DaemonHarness.with(seed: { store in
            _ = try await store.createDrillRun(id: run, playbook: "drill-zone-outage", status: "observing", now: Date())
            _ = try await store.appendRestoreAction(run: run, action: try JSONText(encoding: RestoreStep.resume(pids: [frozen], what: "the instances of zone-a")),
                                                    now: Date())
            // The dead daemon's lease has not run out yet, but its process (an impossible pid, on this boot and in this
            // PID namespace) is gone.
            let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let namespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid").filter(\.isNumber)
            _ = try await store.acquireLock(name: "drill/drill-zone-outage", holder: "\(run)@\(host)#999999/1/\(boot)/\(namespace)",
                                            lease: .seconds(120), now: Date())
        }, drillLauncher: { store in
            ProcessDrillLauncher(catalog: LiveCatalog(try! ManifestCatalog.load(directory: DaemonHarness.repositoryRoot.path)), store: store,
                                 logger: Logger(label: "drill-recovery-test"))
        }) { harness in
            #expect(ProcessTable.state(of: frozen) != "T", "the frozen process was resumed before the daemon listened")
            #expect(try await harness.store.pendingRestoreActions(run: run).isEmpty)
            let record = try #require(try await harness.store.drillRun(id: run))
            #expect(record.isFinished)
            #expect(record.status == "restored-after-crash")
            let reply = try await harness.get("/v1/drills/runs/\(run)", as: .role(.viewer))
            #expect(reply.status == 200)
            let report = reply.object["report"] as? [String: Any]
            #expect(report?["restoredAfterCrash"] as? Bool == true)
            #expect((report?["notes"] as? [String])?.contains { $0.contains("pending restore ran at the next start") } == true)
            // The lock is free again: the playbook can run.
            #expect(try await harness.store.lock(name: "drill/drill-zone-outage") == nil)
        }
    }
}
