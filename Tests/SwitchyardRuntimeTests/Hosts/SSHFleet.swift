import SwitchyardTesting
import Foundation
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
