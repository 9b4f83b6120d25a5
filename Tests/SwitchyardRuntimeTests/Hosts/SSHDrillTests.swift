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

    /// zone-a's two hosts drop the packets to their instances' ports (iptables in each host's own network namespace,
    /// over SSH): nginx's connects there time out and its passive health routes around them; the restore removes the
    /// rules on those hosts.
    @Test func aNetworkCutOfAZoneOnOtherHostsDropsItsPacketsThereAndReconnects() async throws {
        try await SSHFleet.with(basePort: 27600) { fleet in
            let playbook = DrillRunTests.playbook(fleet.harness.topology, fault: .zoneOutage(zone: "zone-a", mode: .network), duration: .seconds(6),
                                                  rto: .seconds(15))
            let (runner, context) = try DrillRunTests.runner(fleet.harness, playbook)
            try await runner.claim()
            let drill = Task { await runner.run() }
            // While the fault holds, each zone-a host has the drill's DROP rule for its instance's port; zone-b's none.
            func rules(_ host: Int) async throws -> String {
                try await Command.run(["ip", "netns", "exec", fleet.lab.namespace(host), "iptables", "-w", "-S", "INPUT"]).output
            }
            var seen = false
            for _ in 0..<100 where !seen {
                let a0 = try await rules(0), a1 = try await rules(1)
                seen = a0.contains("switchyard-drill") && a1.contains("switchyard-drill")
                if !seen { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(seen, "zone-a's hosts never had the drill's rules")
            let b0 = try await rules(2), b1 = try await rules(3)
            #expect(!b0.contains("switchyard-drill") && !b1.contains("switchyard-drill"), "zone-b was cut too")
            let report = await drill.value
            #expect(report.faultDescription.contains("cut off the network"), "\(report.faultDescription)")
            let inject = report.steps.first { $0.step == "inject" && $0.status == "done" }
            #expect(inject?.detail?.contains("cut off on their hosts") == true, "\(inject?.detail ?? "")")
            #expect(report.outcome == .passed, "\(report.text)")
            let m = try #require(report.measurements)
            // Connects to the cut zone wait out nginx's 2 s connect timeout before the retry.
            #expect(m.worstP99 >= 1_500, "worst p99 \(m.worstP99) ms")
            for host in 0..<4 {
                let left = try await rules(host)
                #expect(!left.contains(report.id), "host \(host) keeps the drill's rules: \(left)")
            }
            let restore = report.steps.first { $0.step.hasPrefix("restore") && $0.detail?.contains("reconnected") == true }
            #expect(restore?.detail?.contains("2 DROP rules removed") == true, "\(report.steps.map { "\($0.step) \($0.status) \($0.detail ?? "")" })")
            try await DrillRunTests.expectRestored(fleet.harness, context, run: report.id)
        }
    }
}
