import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Releases of instances on other hosts: four network namespaces with an sshd each (2 zones x 2 hosts), the
/// gateways started over SSH in them, the managed nginx in front reaching them over the lab's bridge.
@Suite(.serialized, .enabled(if: NetnsLab.isAvailable, "needs root, iproute2 and openssh-server"))
struct SSHReleaseTests {
    @Test func aReleaseOverSSHIsPromotedUnderLoadAndABadVersionIsRolledBack() async throws {
        try await SSHFleet.with(basePort: 27100) { fleet in
            // Each instance runs in its host's namespace, on its host's address.
            let blue = try await fleet.harness.context().instances.running(fleet.service, slot: .blue)
            #expect(blue.count == 4)
            #expect(Set(blue.map(\.address.host)) == Set(fleet.lab.addresses))

            let load = fleet.harness.load(rps: 100, streams: 20, streamTokens: 10)
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let good = try await ReleaseRunner(context: fleet.harness.context()).release(version: "2.0.0")
            #expect(good.outcome == .promoted, "\(good.reason)")
            #expect(try await fleet.harness.routingHeader() == "zone-a=green,zone-b=green")

            let bad = try await ReleaseRunner(context: fleet.harness.context(environment: ["YARD_FAULT_FIRST_TOKEN_LATENCY": "400ms"]))
                .release(version: "3.0.0-slow")
            try await Task.sleep(for: .milliseconds(300))
            let report = await load.stop()
            #expect(bad.outcome == .rolledBack, "\(bad.reason)")
            #expect(try await fleet.harness.routingHeader() == "zone-a=green,zone-b=green")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            // The rolled-back slot was stopped on its hosts; the live one runs 2.0.0 there.
            let driver = try fleet.harness.context().instances
            #expect(await driver.running(fleet.service, slot: .blue).isEmpty)
            #expect(await driver.running(fleet.service, slot: .green).map(\.version) == Array(repeating: "2.0.0", count: 4))
        }
    }

    @Test func aHostWhoseSSHDIsDownStopsTheReleaseBeforeAnyHostIsTouched() async throws {
        try await SSHFleet.with(basePort: 27200) { fleet in
            fleet.lab.stopSSHD(3)
            let context = try fleet.harness.context()
            await #expect {
                _ = try await ReleaseRunner(context: context).release(version: "2.0.0")
            } throws: { error in
                "\(error)".contains("host \(fleet.lab.addresses[3]) cannot be reached over SSH")
            }
            #expect(try await fleet.harness.store.listReleases(ReleaseQuery(limit: 1)).isEmpty, "no release was recorded")
            // No green instance was started on the three hosts that answered.
            let green = fleet.service.instances(slot: .green).filter { fleet.service.host(of: $0)?.address != fleet.lab.addresses[3] }
            for id in green { #expect(!TCPProbe.canConnect(fleet.service.connectAddress(of: id))) }
            try await fleet.lab.startSSHD(3)
        }
    }

    @Test func aHostThatRefusesTheKeyStopsTheReleaseNamingIt() async throws {
        try await SSHFleet.with(basePort: 27300, up: false) { fleet in
            fleet.lab.stopSSHD(2)
            try await fleet.lab.startSSHD(2, acceptingKeys: false)
            await #expect {
                _ = try await Fleet(context: fleet.harness.context()).up(version: "1.0.0")
            } throws: { error in
                "\(error)".contains("host \(fleet.lab.addresses[2]) cannot be reached over SSH") && "\(error)".contains("Permission denied")
            }
            for id in fleet.service.instances { #expect(!TCPProbe.canConnect(fleet.service.connectAddress(of: id))) }
        }
    }
}
