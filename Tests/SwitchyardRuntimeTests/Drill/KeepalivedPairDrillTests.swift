import SwitchyardTesting
import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// `lb-node-kill` on a keepalived pair, for real: two site nginx nodes, each in a namespace of its own with keepalived
/// (VRRP, unicast, advert_int 1) and the virtual address 10.78.1.100 on the lab's bridge; the gateways run on this
/// machine on the bridge's address. The drill cuts the holder's link (the host side of its veth down), the virtual
/// address moves, and the restore brings the link up. Skipped only without root, iproute2, sshd or keepalived, and
/// never under CI (`CI` set: it runs and fails there instead).
@Suite(.serialized, .enabled(if: KeepalivedLab.isAvailable || ProcessInfo.processInfo.environment["CI"] != nil,
                             "needs root, iproute2, openssh-server and keepalived"))
struct KeepalivedPairDrillTests {
    @Test func cuttingTheVIPHolderMovesTheAddressAndUsersSeeTheSameOutage() async throws {
        try await KeepalivedLab.with(basePort: 32100) { lab in
            let holder = try await lab.pair.holder()
            let other = try #require(lab.balancer.nodes.first { $0.name != holder.name })
            let playbook = DrillRunTests.playbook(lab.harness.topology, fault: .lbNodeKill(loadBalancer: "edge", node: nil),
                                                  duration: .seconds(8), rto: .seconds(30))
            let (report, context) = try await DrillRunTests.drill(lab.harness, playbook)
            let steps = report.steps.map { "\($0.step) \($0.status) \($0.detail ?? "")" }.joined(separator: "\n")
            #expect(report.faultDescription.contains("network cut"), "\(report.faultDescription)")
            #expect(report.faultDescription.contains(holder.name))
            let failover = try #require(report.vipFailover, "\(steps)")
            #expect(failover.from == holder.name)
            #expect(failover.to == other.name, "\(failover.summary)")
            let takeover = try #require(failover.takeover, "\(failover.summary)")
            let served = try #require(failover.servedAgain, "\(failover.summary)")
            print("keepalived pair drill: VIP moved \(takeover) s after the cut, users served again through it \(served) s after the cut, difference \(abs(served - takeover)) s")
            // VRRP with advert_int 1: the backup takes over after its master-down timer (about 3 adverts).
            #expect(takeover > 2 && takeover < 5, "\(failover.summary)")
            #expect(abs(served - takeover) < 0.5, "\(failover.summary)")
            // Users saw an outage through the address: traffic went through it, and failed while it moved.
            #expect((report.measurements?.requestsLost ?? 0) > 0, "\(report.text)")
            // The restore brought the node's link back, keepalived runs there, and the address is on one node only.
            let restore = try #require(report.steps.last { $0.step == "restore" })
            #expect(restore.status == "done", "\(steps)")
            #expect(restore.detail?.contains("node \(holder.name) reconnected") == true, "\(restore.detail ?? "")")
            #expect(try lab.linkIsUp(holder), "the cut node's link is still down")
            #expect(try await lab.pair.holders().count == 1)
            #expect(try await lab.harness.store.pendingRestoreActions(run: report.id).isEmpty)
            _ = context
        }
    }

    @Test func aReleaseThroughTheVirtualAddressOfGatewaysOnFourHostsIsPromotedAndABadOneRolledBack() async throws {
        try await KeepalivedLab.with(basePort: 32300, sshHosts: true) { lab in
            let driver = try lab.harness.context().instances
            let blue = await driver.running(lab.harness.topology.services[0], slot: .blue)
            #expect(Set(blue.map(\.address.host)) == Set(lab.lab.addresses[2...5]), "the gateways run on the four hosts: \(blue.map(\.address))")
            let load = LoadGenerator(configuration: LoadConfiguration(target: "\(lab.balancer.clientListener)", requestsPerSecond: 100, streams: 20,
                                                                      streamTokens: 10))
            load.start()
            try await Task.sleep(for: .milliseconds(500))
            let good = try await ReleaseRunner(context: lab.harness.context()).release(version: "2.0.0")
            #expect(good.outcome == .promoted, "\(good.reason)")
            // Both nodes carry the new slot, and the address serves it.
            #expect(try await SitePair.version(through: lab.balancer.clientListener) == "2.0.0")
            for node in lab.balancer.nodes {
                #expect(try await SitePair.version(through: HostPort(host: node.address, port: lab.balancer.listen.port)) == "2.0.0", "node \(node.name)")
            }
            let bad = try await ReleaseRunner(context: lab.harness.context(environment: ["YARD_FAULT_FIRST_TOKEN_LATENCY": "400ms"]))
                .release(version: "3.0.0-slow")
            try await Task.sleep(for: .milliseconds(300))
            let report = await load.stop()
            #expect(bad.outcome == .rolledBack, "\(bad.reason)")
            for node in lab.balancer.nodes {
                #expect(try await SitePair.version(through: HostPort(host: node.address, port: lab.balancer.listen.port)) == "2.0.0", "node \(node.name)")
            }
            #expect(report.requests.sent > 500, "\(report.requests)")
            #expect(report.requests.failed == 0, "\(report.requests)")
            #expect(report.streams.cut == 0, "\(report.streams)")
            print("keepalived pair release: \(report.requests.sent) requests and \(report.streams.opened) streams through \(lab.balancer.clientListener), \(report.requests.failed) failed, \(report.streams.cut) cut")
        }
    }

    @Test func theRestoreStartsAKilledKeepalivedDespiteAStalePidFile() async throws {
        try await KeepalivedLab.with(basePort: 32200) { lab in
            let holder = try await lab.pair.holder()
            let index = try #require(lab.balancer.nodes.firstIndex(of: holder))
            // keepalived SIGKILLed leaves its pid files; pid 1 in one is a live process that is not keepalived, which
            // keepalived itself would take for "daemon is already running".
            lab.killKeepalived(index)
            try "1\n".write(toFile: holder.keepalivedProcess.pidFile, atomically: true, encoding: .utf8)
            _ = try await Command.run(holder.cutCommand!)
            #expect(try !lab.linkIsUp(holder))
            let executor = RestoreExecutor(topologies: [lab.harness.topology], store: lab.harness.store,
                                           instances: try lab.harness.context().instances, workingDirectory: lab.harness.folder.path)
            let detail = try await executor.perform(.reconnectNode(topology: lab.harness.topology.name, balancer: "edge", node: holder.name))
            #expect(detail.contains("keepalived started again on \(holder.name)"), "\(detail)")
            #expect(detail.contains("stale pid file"), "\(detail)")
            #expect(try lab.linkIsUp(holder))
            let pid = try #require(Int32(String(contentsOfFile: holder.keepalivedProcess.pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(pid != 1 && ProcessTable.isAlive(pid))
            #expect((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("keepalived") == true)
            // Run twice, it changes nothing.
            let again = try await executor.perform(.reconnectNode(topology: lab.harness.topology.name, balancer: "edge", node: holder.name))
            #expect(again.contains("keepalived runs on \(holder.name) (pid \(pid))"), "\(again)")
        }
    }
}
