import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import SwitchyardTesting

/// A drill run by the leader, interrupted by the leader's death (SIGKILL) with its fault in place: the standby that
/// takes over restores what the drill broke from the journal, closes the run, and frees its locks.
@Suite(.serialized) struct DrillTakeoverProcessTests {
    @Test func theNextLeaderRestoresADrillInterruptedByTheLeadersDeath() async throws {
        try await PostgresServer.run { server in
            try server.createDatabase("yardd_ha_drill")
            let state = server.url(database: "yardd_ha_drill")
            try await LeaderElectionProcessTests.withFleet(basePort: 28350, bake: "3s", state: state) { workspace, store, token, daemons in
                // drill-long: zone-b stopped for 60 s under 40 requests/s and 2 streams.
                try YardDrillProcessTests.playbooks(workspace)
                let arguments = ["--lease", "3s"]
                daemons.append(try await YarddExecutable.start(workspace, port: 28380, state: state, arguments: arguments))
                daemons.append(try await YarddExecutable.start(workspace, port: 28381, state: state, arguments: arguments))
                let (leader, standby) = (daemons[0], daemons[1])
                #expect(try LeaderElectionProcessTests.readiness(standby.port)["leader"] == leader.server)

                let headers = ["Authorization": "Bearer \(token)"]
                let refused = try RawHTTP.request(port: standby.port, "POST", "/v1/drills/drill-long/run", headers: headers)
                #expect(refused.status == 503, "only the leader starts drills: \(refused.text)")
                #expect(refused.text.contains("not-leader"), "\(refused.text)")
                let started = try RawHTTP.request(port: leader.port, "POST", "/v1/drills/drill-long/run", headers: headers)
                #expect(started.status == 202, "\(started.text)")
                let run = try await YardDrillProcessTests.injected(store, playbook: "drill-long")
                let driver = ProcessInstanceDriver(logDirectory: workspace.folder.path, readiness: ReadinessChecker(client: YardHTTPClient.shared))
                #expect(try await driver.running(workspace.service, slot: .blue).count == 2, "zone-b's two instances are stopped by the fault")

                let killedAt = ContinuousClock.now
                leader.kill9()
                let (newLeader, took) = try await LeaderElectionProcessTests.waitForLeader(among: [standby], since: killedAt)
                #expect(took < .seconds(10), "\(took)")

                let deadline = ContinuousClock.now + .seconds(60)
                var record = try await store.drillRun(id: run)
                while record?.isFinished != true, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    record = try await store.drillRun(id: run)
                }
                #expect(record?.status == "restored-after-crash", "\(String(describing: record))\n\(newLeader.logText)")
                #expect(newLeader.logText.contains("restored interrupted drill \(run)"), "\(newLeader.logText)")
                #expect(try await store.pendingRestoreActions(run: run).isEmpty)
                #expect(try await driver.running(workspace.service, slot: .blue).count == 4, "zone-b's instances run again")
                let drillLock = try await store.lock(name: "drill/drill-long")
                #expect(drillLock == nil, "the dead leader's run no longer holds the playbook: \(String(describing: drillLock))")
                let topologyLock = try await store.lock(name: LockName.topology(workspace.topology.name))
                #expect(topologyLock == nil, "nor the topology: \(String(describing: topologyLock))")
            }
        }
    }
}
