import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// `yard release` of instances on namespace hosts, killed with SIGKILL mid-bake: the instances live on on their
/// hosts (own session, pid file), and the next `yard release` adopts them from what each host reports and converges.
@Suite(.serialized, .enabled(if: NetnsLab.isAvailable, "needs root, iproute2 and openssh-server"))
struct SSHCrashTests {
    @Test func aReleaseKilledMidBakeIsAdoptedFromTheHostsAndConverges() async throws {
        try await NetnsLab.with(hosts: 4) { lab in
            let basePort = 27400
            let gateway = try GatewayProcess.binary().path
            let a = lab.addresses
            let zones = "\n  - {name: zone-a, hosts: [\(a[0]), {address: \(a[1]), user: root}]}\n  - {name: zone-b, hosts: [\(a[2]), \(a[3])]}"
            let text = FleetManifests.topology(name: "crash", basePort: basePort, lbDrainTimeout: "2m", drainTimeout: "20s",
                                               gatewayArguments: "--host {host}", zones: zones, gatewayCommand: gateway)
            let workspace = try CLIWorkspace(basePort: basePort, topologyText: text)
            defer { workspace.tearDown() }
            let ssh = ["YARD_SSH_CONFIG": lab.sshConfig, "YARD_SSH_CONTROL_DIR": lab.controlDirectory]
            let up = try await workspace.yard(["up", "gateway", "--version", "1.0.0"], environment: ssh)
            #expect(up.status == 0, "\(up.output)")

            let load = LoadGenerator(configuration: LoadConfiguration(target: "127.0.0.1:\(basePort)", requestsPerSecond: 30, streams: 4, streamTokens: 20))
            load.start()

            let arguments = ["release", "gateway", "--version", "2.0.0", "--bake", "3s", "--interval", "1s", "--scale-down-delay", "1s"]
            let first = try workspace.start(arguments, environment: ssh)
            let store = try SQLiteStateStore(path: workspace.folder.appendingPathComponent(".yard/state.sqlite").path)
            var killedIn: ReleaseMachine.Phase?
            for _ in 0..<3000 {
                if let record = try? await store.listReleases(ReleaseQuery(limit: 1)).first, record.phase == .baking || record.isFinished {
                    kill(first, SIGKILL)
                    killedIn = record.phase
                    break
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            _ = await Spawner.waitForExit(first, timeout: .seconds(5))
            #expect(killedIn == .baking)

            let second = try await workspace.yard(arguments, environment: ssh)
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("resuming"), "\(second.output)")
            let report = await load.stop()

            let routing = try #require(try await store.routing(service: "gateway"))
            #expect(routing.live == ["zone-a": .green, "zone-b": .green])
            let service = workspace.topology.services[0]
            SSHFleet.pointSSH(at: lab)
            let driver = SSHInstanceDriver(readiness: ReadinessChecker(client: YardHTTPClient.shared))
            let live = await driver.running(service, slot: .green)
            #expect(live.count == 4, "one process per instance of the live slot: \(live.map(\.id.name))")
            #expect(Set(live.map(\.address.host)) == Set(a))
            #expect(await driver.running(service, slot: .blue).isEmpty)
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            _ = try await workspace.yard(["down", "gateway"], environment: ssh)
        }
    }
}
