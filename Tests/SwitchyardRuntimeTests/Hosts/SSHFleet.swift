import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// A scratch fleet whose instances run on four namespace hosts (2 zones x 2 hosts) over SSH, behind the managed
/// local nginx, which reaches them through the lab's bridge. `with` always takes the fleet and the lab down.
struct SSHFleet {
    var harness: ReleaseHarness
    let lab: NetnsLab

    /// `YARD_SSH_CONFIG` and `YARD_SSH_CONTROL_DIR` point the SSH driver at the lab.
    static func pointSSH(at lab: NetnsLab) {
        setenv("YARD_SSH_CONFIG", lab.sshConfig, 1)
        setenv("YARD_SSH_CONTROL_DIR", lab.controlDirectory, 1)
    }

    /// `extraHosts` more hosts (after the four instance hosts) run no instance: load-balancer nodes, say.
    static func with(basePort: Int, extraHosts: Int = 0, configure: (inout ReleaseHarness, NetnsLab) -> Void = { _, _ in },
                     up: Bool = true, _ body: (SSHFleet) async throws -> Void) async throws {
        try await NetnsLab.with(hosts: 4 + extraHosts) { lab in
            pointSSH(at: lab)
            var harness = try ReleaseHarness(basePort: basePort)
            let gateway = try GatewayProcess.binary().path
            let zones = ["zone-a", "zone-b"]
            harness.fleet.topology.zones = zones.enumerated().map { z, zone in
                Zone(name: zone, hosts: [ZoneHost(zone: zone, address: lab.addresses[2 * z]), ZoneHost(zone: zone, address: lab.addresses[2 * z + 1])])
            }
            harness.fleet.topology.services[0].hosts = harness.fleet.topology.zones.flatMap(\.hosts)
            harness.fleet.topology.services[0].instance.command =
                "\(gateway) --host {host} --port {port} --version {version} --zone {zone} --slot {slot} --instance {instance} --token-delay 20ms"
            configure(&harness, lab)
            let fleet = SSHFleet(harness: harness, lab: lab)
            do {
                if up { try await harness.up() }
                try await body(fleet)
            } catch {
                await harness.down()
                throw error
            }
            await harness.down()
        }
    }

    var service: Service { harness.topology.services[0] }
}

/// `yard release` of a workspace's fleet on the lab's hosts, SIGKILLed mid-bake, then run again: what the SSH and
/// systemd crash tests share.
enum KilledMidBake {
    static let arguments = ["release", "gateway", "--version", "2.0.0", "--bake", "3s", "--interval", "1s", "--scale-down-delay", "1s"]

    static func environment(_ lab: NetnsLab) -> [String: String] {
        ["YARD_SSH_CONFIG": lab.sshConfig, "YARD_SSH_CONTROL_DIR": lab.controlDirectory]
    }

    /// Starts the release and SIGKILLs it once its record says it bakes (or has finished); the phase it was killed in.
    static func release(_ workspace: CLIWorkspace, lab: NetnsLab) async throws -> ReleaseMachine.Phase? {
        let first = try workspace.start(arguments, environment: environment(lab))
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
        return killedIn
    }

    /// The second run resumes and converges: green live in both zones, one green process per instance on the lab's
    /// hosts, none of blue. Returns the driver that looked, for further checks.
    @discardableResult
    static func expectResumedAndConverged(_ workspace: CLIWorkspace, lab: NetnsLab) async throws -> (SSHInstanceDriver, [RunningInstance]) {
        let second = try await workspace.yard(arguments, environment: environment(lab))
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("resuming"), "\(second.output)")
        let store = try SQLiteStateStore(path: workspace.folder.appendingPathComponent(".yard/state.sqlite").path)
        let routing = try #require(try await store.routing(service: "gateway"))
        #expect(routing.live == ["zone-a": .green, "zone-b": .green])
        let service = workspace.topology.services[0]
        SSHFleet.pointSSH(at: lab)
        let driver = SSHInstanceDriver(readiness: ReadinessChecker(client: YardHTTPClient.shared))
        let live = await driver.running(service, slot: .green)
        #expect(live.count == 4, "one process per instance of the live slot: \(live.map(\.id.name))")
        #expect(Set(live.map(\.address.host)) == Set(lab.addresses))
        #expect(await driver.running(service, slot: .blue).isEmpty)
        return (driver, live)
    }
}
