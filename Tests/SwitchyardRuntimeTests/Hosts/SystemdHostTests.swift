import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Instances on hosts where systemd runs: transient units (`systemd-run`) that outlive the SSH sessions and a yard
/// killed mid-bake, adopted by the next run from what `systemctl` reports. Zone-a's two hosts boot a systemd of their
/// own (`NetnsLab.bootSystemd`), zone-b's two do not, so one release drives both supervisors.
@Suite(.serialized, .enabled(if: NetnsLab.isAvailable && NetnsLab.canBootSystemd, "needs root, iproute2, openssh-server and systemd"))
struct SystemdHostTests {
    /// `yard-gateway-zone-a-green-0.service active`, … : the instance units a host's systemd has loaded.
    static func units(_ lab: NetnsLab, _ index: Int) throws -> [String] {
        try lab.ssh(index, "systemctl list-units --all --plain --no-legend --type=service 'yard-gateway-*' | awk '{print $1, $3}'")
            .split(separator: "\n").map(String.init).sorted()
    }

    static func pidFiles(_ lab: NetnsLab, _ index: Int) throws -> [String] {
        try lab.ssh(index, "ls $HOME/.switchyard/instances/gateway/ 2>/dev/null | grep '[.]pid$' || true").split(separator: "\n").map(String.init)
    }

    @Test func instancesAreUnitsThatOutliveSSHAndAKilledReleaseAndAreAdopted() async throws {
        try await NetnsLab.with(hosts: 4) { lab in
            try await lab.bootSystemd(0)
            try await lab.bootSystemd(1)
            let basePort = 27800
            let gateway = try GatewayProcess.binary().path
            let a = lab.addresses
            let zones = "\n  - {name: zone-a, hosts: [\(a[0]), {address: \(a[1]), supervisor: systemd}]}"
                + "\n  - {name: zone-b, hosts: [\(a[2]), {address: \(a[3]), supervisor: process}]}"
            let text = FleetManifests.topology(name: "crash", basePort: basePort, lbDrainTimeout: "2m", drainTimeout: "20s",
                                               gatewayArguments: "--host {host}", zones: zones, gatewayCommand: gateway)
            let workspace = try CLIWorkspace(basePort: basePort, topologyText: text)
            defer { workspace.tearDown() }
            let ssh = KilledMidBake.environment(lab)
            let up = try await workspace.yard(["up", "gateway", "--version", "1.0.0"], environment: ssh)
            #expect(up.status == 0, "\(up.output)")

            // zone-a: one unit per host, running; no pid file. zone-b: pid files, no systemd there at all.
            #expect(try Self.units(lab, 0) == ["yard-gateway-zone-a-blue-0.service active"])
            #expect(try Self.units(lab, 1) == ["yard-gateway-zone-a-blue-1.service active"])
            #expect(try Self.pidFiles(lab, 0).filter { $0.hasPrefix("zone-a") }.isEmpty)
            #expect(try Self.pidFiles(lab, 2).filter { $0.hasPrefix("zone-b") }.sorted() == ["zone-b-blue-0.pid", "zone-b-blue-1.pid"])
            // The unit's control group holds the gateway, and its output goes to the instance's log on the host.
            let pid = try lab.ssh(0, "systemctl show -p MainPID --value yard-gateway-zone-a-blue-0.service").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try lab.ssh(0, "cat /proc/\(pid)/cgroup").contains("yard-gateway-zone-a-blue-0.service"))
            #expect(try lab.ssh(0, "cat $HOME/.switchyard/instances/gateway/zone-a-blue-0.log").contains("start (unit yard-gateway-zone-a-blue-0.service)"))

            // Every SSH connection yard held goes; the instances stay.
            lab.closeMasterConnections()
            #expect(try Self.units(lab, 1) == ["yard-gateway-zone-a-blue-1.service active"])

            let load = LoadGenerator(configuration: LoadConfiguration(target: "127.0.0.1:\(basePort)", requestsPerSecond: 30, streams: 4, streamTokens: 20))
            load.start()
            #expect(try await KilledMidBake.release(workspace, lab: lab) == .baking)
            lab.closeMasterConnections()
            // Both slots run on the systemd hosts while the release is down.
            #expect(try Self.units(lab, 0) == ["yard-gateway-zone-a-blue-0.service active", "yard-gateway-zone-a-green-0.service active"])

            let (driver, live) = try await KilledMidBake.expectResumedAndConverged(workspace, lab: lab)
            let report = await load.stop()
            let service = workspace.topology.services[0]
            // One green unit per systemd host after the resume; the retired blue units are unloaded.
            #expect(try Self.units(lab, 0) == ["yard-gateway-zone-a-green-0.service active"])
            #expect(try Self.units(lab, 1) == ["yard-gateway-zone-a-green-1.service active"])
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")

            // A drill's kill (SIGKILL to the unit's main process) and its restore (a deploy): the failed unit is
            // collected and a unit of the same name starts again.
            let killed = try #require(live.first { $0.address.host == a[0] })
            #expect(await driver.send(SIGKILL, to: [killed], of: service).isEmpty)
            for _ in 0..<100 where try Self.units(lab, 0) != [] { try await Task.sleep(for: .milliseconds(50)) }
            #expect(try Self.units(lab, 0) == [], "the killed unit is collected")
            let restored = try await driver.deploy(service, zones: ["zone-a"], slot: .green, version: "2.0.0", timeout: .seconds(30))
            #expect(restored.filter { !$0.adopted }.map(\.id) == [killed.id], "only the killed instance is started again")
            #expect(try Self.units(lab, 0) == ["yard-gateway-zone-a-green-0.service active"])

            let down = try await workspace.yard(["down", "gateway"], environment: ssh)
            #expect(down.status == 0, "\(down.output)")
            #expect(try Self.units(lab, 0).isEmpty)
            #expect(try Self.units(lab, 1).isEmpty)
        }
    }

    /// A host set to `supervisor: systemd` that does not run it stops `yard up` before any host runs anything.
    @Test func aHostSetToSystemdWithoutItIsRefusedBeforeAnyHostIsTouched() async throws {
        try await NetnsLab.with(hosts: 4) { lab in
            let basePort = 27850
            let gateway = try GatewayProcess.binary().path
            let a = lab.addresses
            let zones = "\n  - {name: zone-a, hosts: [\(a[0]), \(a[1])]}\n  - {name: zone-b, hosts: [\(a[2]), {address: \(a[3]), supervisor: systemd}]}"
            let text = FleetManifests.topology(name: "crash", basePort: basePort, gatewayArguments: "--host {host}", zones: zones, gatewayCommand: gateway)
            let workspace = try CLIWorkspace(basePort: basePort, topologyText: text)
            defer { workspace.tearDown() }
            let ssh = ["YARD_SSH_CONFIG": lab.sshConfig, "YARD_SSH_CONTROL_DIR": lab.controlDirectory]
            let up = try await workspace.yard(["up", "gateway", "--version", "1.0.0"], environment: ssh)
            #expect(up.status != 0)
            #expect(up.output.contains("host \(a[3]) is set to `supervisor: systemd` but systemd is not running there"), "\(up.output)")
            for index in 0..<4 { #expect(try Self.pidFiles(lab, index).isEmpty, "host \(index) started something") }
        }
    }
}
