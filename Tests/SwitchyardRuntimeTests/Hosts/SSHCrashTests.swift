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
            let ssh = KilledMidBake.environment(lab)
            let up = try await workspace.yard(["up", "gateway", "--version", "1.0.0"], environment: ssh)
            #expect(up.status == 0, "\(up.output)")

            let load = LoadGenerator(configuration: LoadConfiguration(target: "127.0.0.1:\(basePort)", requestsPerSecond: 30, streams: 4, streamTokens: 20))
            load.start()

            #expect(try await KilledMidBake.release(workspace, lab: lab) == .baking)
            try await KilledMidBake.expectResumedAndConverged(workspace, lab: lab)
            let report = await load.stop()
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            _ = try await workspace.yard(["down", "gateway"], environment: ssh)
        }
    }
}
