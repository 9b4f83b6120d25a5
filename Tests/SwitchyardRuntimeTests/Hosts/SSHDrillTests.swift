import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Drills on instances that run on other hosts: the fault and its restore go through the SSH driver (a `kill` on the
/// host), never a `kill` of a pid on the machine that runs the drill. In the lab the hosts share this machine's
/// process table, so the test can see each instance's state.
@Suite(.serialized, .enabled(if: NetnsLab.isAvailable, "needs root, iproute2 and openssh-server"))
struct SSHDrillTests {
    @Test func aZoneLostOverSSHIsKilledOnItsHostsAndStartedAgain() async throws {
        try await SSHFleet.with(basePort: 27400) { fleet in
            let before = await (try fleet.harness.context()).instances.running(fleet.service, slot: .blue)
            let zoneA = before.filter { $0.id.zone == "zone-a" }
            #expect(zoneA.count == 2)
            let playbook = DrillRunTests.playbook(fleet.harness.topology, fault: .zoneOutage(zone: "zone-a", mode: .stop), rto: .seconds(10))
            let (report, context) = try await DrillRunTests.drill(fleet.harness, playbook)
            #expect(report.outcome != .error, "\(report.text)")
            let inject = try #require(report.steps.first { $0.step == "inject" && $0.status == "done" })
            #expect(inject.detail?.contains("SIGKILL sent to 2 of 2") == true, "\(inject.detail ?? "")")
            for instance in zoneA { #expect(!ProcessTable.isAlive(instance.pid), "\(instance.id.name) was not killed") }
            // The restore started zone-a again on its hosts, over SSH.
            let after = await context.instances.running(fleet.service, slot: .blue)
            #expect(after.count == 4, "\(after.map(\.id.name))")
            #expect(Set(after.filter { $0.id.zone == "zone-a" }.map(\.pid)).isDisjoint(with: zoneA.map(\.pid)))
            #expect(Set(after.map(\.address.host)) == Set(fleet.lab.addresses))
            try await DrillRunTests.expectRestored(fleet.harness, context, run: report.id)
        }
    }

    @Test func aZoneFrozenOverSSHIsStoppedOnItsHostsAndResumed() async throws {
        try await SSHFleet.with(basePort: 27500) { fleet in
            let zoneB = await (try fleet.harness.context()).instances.running(fleet.service, slot: .blue).filter { $0.id.zone == "zone-b" }
            let playbook = DrillRunTests.playbook(fleet.harness.topology, fault: .zoneOutage(zone: "zone-b", mode: .freeze),
                                                  duration: .seconds(4), rto: .seconds(30))
            let (runner, context) = try DrillRunTests.runner(fleet.harness, playbook)
            try await runner.claim()
            let drill = Task { await runner.run() }
            // While the fault holds, zone-b's processes are stopped (state T) on their hosts.
            var frozen = false
            for _ in 0..<200 where !frozen {
                frozen = zoneB.allSatisfy { ProcessTable.state(of: $0.pid) == "T" }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(frozen, "zone-b's instances were never seen stopped")
            let report = await drill.value
            #expect(report.faultDescription.contains("SIGSTOP"))
            #expect(report.outcome != .error, "\(report.text)")
            let restore = report.steps.first { $0.step.hasPrefix("restore") && $0.detail?.contains("SIGCONT") == true }
            #expect(restore?.detail?.contains("SIGCONT to 2 of 2") == true, "\(report.steps.map { "\($0.step) \($0.status) \($0.detail ?? "")" })")
            for instance in zoneB { #expect(ProcessTable.state(of: instance.pid) != "T", "\(instance.id.name) is still stopped") }
            try await DrillRunTests.expectRestored(fleet.harness, context, run: report.id)
        }
    }

    @Test func aNetworkCutOfAZoneOnOtherHostsIsRefusedBeforeAnythingIsBroken() async throws {
        try await SSHFleet.with(basePort: 27600) { fleet in
            let playbook = DrillRunTests.playbook(fleet.harness.topology, fault: .zoneOutage(zone: "zone-a", mode: .network))
            let (_, context) = try DrillRunTests.runner(fleet.harness, playbook)
            await #expect {
                _ = try await FaultPlan.make(context)
            } throws: { error in
                "\(error)".contains("runs on other hosts")
            }
        }
    }
}
