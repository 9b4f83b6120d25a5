import Foundation
import SwitchyardCore
import SwitchyardTesting
import Testing
@testable import SwitchyardRuntime

/// Real drills on a real fleet: gateways, nginx and traffic on loopback. Each test has its own ports.
@Suite("Drills on a real fleet", .serialized)
struct DrillRunTests {
    static func playbook(_ topology: Topology, fault: FaultSpec = .zoneOutage(zone: "zone-a", mode: .stop), duration: TimeSpan = .seconds(6),
                         guardrails: Guardrails = Guardrails(), rto: TimeSpan = .seconds(5)) -> DrillPlaybook {
        DrillPlaybook(name: "drill-\(topology.name)", topology: topology.name, schedule: nil,
                      steadyState: [SteadyStateProbe(name: "ready", path: "/readyz", requests: 5)],
                      load: LoadProfile(requestsPerSecond: 50, streams: 4, streamDuration: .seconds(2)),
                      fault: fault, duration: duration, guardrails: guardrails,
                      objectives: Objectives(rto: rto, minSuccessRate: Ratio(0.99), maxRequestsLost: 20))
    }

    static func drill(_ harness: ReleaseHarness, _ playbook: DrillPlaybook) async throws -> (DrillReport, DrillContext) {
        let (runner, context) = try runner(harness, playbook)
        try await runner.claim()
        return (await runner.run(), context)
    }

    /// A runner of `playbook` on the harness's fleet (not claimed yet), and its context.
    static func runner(_ harness: ReleaseHarness, _ playbook: DrillPlaybook, settleLimit: TimeSpan = .seconds(15)) throws -> (DrillRunner, DrillContext) {
        let context = try DrillContext.processes(playbook: playbook, topology: harness.topology, store: harness.store,
                                                 workingDirectory: harness.folder.path, logDirectory: harness.folder.appendingPathComponent("logs").path,
                                                 actor: "test", settleLimit: settleLimit)
        let executor = RestoreExecutor(topologies: [harness.topology], store: harness.store, instances: context.instances,
                                       workingDirectory: harness.folder.path)
        return (DrillRunner(context: context, executor: executor), context)
    }

    /// Every instance of the live (blue) slot is running again, and nothing is left to restore.
    static func expectRestored(_ harness: ReleaseHarness, _ context: DrillContext, run: String) async throws {
        let running = await context.instances.running(harness.fleet.service, slot: .blue)
        #expect(running.count == 4, "instances running after the drill: \(running.map(\.id.name))")
        #expect(try await harness.store.pendingRestoreActions(run: run).isEmpty)
        #expect(try await harness.store.drillRun(id: run)?.isFinished == true)
    }

    @Test func aZoneOutageIsSurvivedThroughPassiveHealthWithinItsRTO() async throws {
        try await ReleaseHarness.with(basePort: 23100) { harness in
            let (report, context) = try await Self.drill(harness, Self.playbook(harness.topology))
            #expect(report.outcome == .passed, "\(report.text)")
            let m = try #require(report.measurements)
            #expect((m.rto ?? 99) <= 5)
            #expect(m.requestsLost <= 20)
            #expect(report.verdicts.allSatisfy { $0.passed })
            #expect(report.recoveryMechanism?.contains("passive health") == true)
            #expect(report.faultDescription.contains("SIGKILL to its 2 instances"))
            #expect(report.steps.map(\.step).contains("journal-restores"))
            // The restores were journaled before the fault was injected.
            let journaled = try #require(report.steps.first { $0.step == "journal-restores" })
            let injected = try #require(report.steps.first { $0.step == "inject" })
            #expect(journaled.at <= injected.at)
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func theSameOutageWithoutPassiveHealthMissesItsObjective() async throws {
        try await ReleaseHarness.with(basePort: 23200, configure: { harness in
            harness.fleet = try! ScratchFleet(basePort: 23200, drainTimeout: .seconds(20), passiveHealth: false)
        }) { harness in
            let (report, context) = try await Self.drill(harness, Self.playbook(harness.topology))
            #expect(report.outcome == .failed, "\(report.text)")
            let m = try #require(report.measurements)
            #expect(m.requestsLost > 20, "half the requests go to the dead zone until the restore")
            #expect(m.timeToDetect != nil)
            #expect(!m.recoveredBeforeRestore)
            #expect(report.verdicts.first { $0.objective == "rto" }?.passed == false)
            #expect(report.recoveryMechanism?.contains("restore") == true)
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func aGuardrailAbortsAndRestoresEarly() async throws {
        try await ReleaseHarness.with(basePort: 23300, configure: { harness in
            harness.fleet = try! ScratchFleet(basePort: 23300, drainTimeout: .seconds(20), passiveHealth: false)
        }) { harness in
            let playbook = Self.playbook(harness.topology, duration: .minutes(5),
                                         guardrails: Guardrails(minSuccessRate: Ratio(0.9), floorFor: .seconds(2)))
            let clock = ContinuousClock()
            let start = clock.now
            let (report, context) = try await Self.drill(harness, playbook)
            #expect(report.outcome == .aborted, "\(report.text)")
            #expect(report.guardrailTrip?.rule == GuardrailMonitor.floorRule)
            // Restored long before the fault's 5 minutes were up.
            #expect(clock.now - start < .seconds(60))
            let inject = try #require(report.steps.first { $0.step == "inject" })
            let restore = try #require(report.steps.first { $0.step == "restore" && $0.status == "done" })
            #expect(restore.at.timeIntervalSince(inject.at) < 20)
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func aFrozenZoneIsResumed() async throws {
        try await ReleaseHarness.with(basePort: 23400) { harness in
            let playbook = Self.playbook(harness.topology, fault: .zoneOutage(zone: "zone-b", mode: .freeze), duration: .seconds(3), rto: .seconds(30))
            let (report, context) = try await Self.drill(harness, playbook)
            #expect(report.faultDescription.contains("SIGSTOP"))
            #expect(report.outcome != .error, "\(report.text)")
            for instance in await context.instances.running(harness.fleet.service, slot: .blue) {
                #expect(ProcessTable.state(of: instance.pid) != "T", "\(instance.id.name) is still stopped")
            }
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func aLoadBalancerKilledIsStartedAgainByTheRestore() async throws {
        try await ReleaseHarness.with(basePort: 23600) { harness in
            let playbook = Self.playbook(harness.topology, fault: .lbNodeKill(loadBalancer: "edge", node: nil), duration: .seconds(3))
            let (report, context) = try await Self.drill(harness, playbook)
            // One nginx and no standby: users are cut off until the restore, and the drill says so.
            #expect(report.outcome == .failed, "\(report.text)")
            let m = try #require(report.measurements)
            #expect(m.requestsLost > 0)
            #expect(!m.recoveredBeforeRestore)
            #expect(report.recoveryMechanism?.contains("restore") == true, "\(report.text)")
            #expect(await context.nginx(harness.topology.loadBalancers[0]).isRunning)
            #expect(try await harness.routingHeader() != nil)
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func anExecFaultRunsItsRestoreAndRecoveryCheck() async throws {
        try await ReleaseHarness.with(basePort: 23700) { harness in
            let marker = harness.folder.appendingPathComponent("primary-down").path
            let fault = FaultSpec.exec(command: ["/bin/sh", "-c", "echo down > \(marker)"], restore: ["/bin/rm", marker],
                                       recoveryCheck: ["/bin/sh", "-c", "test ! -e \(marker)"], datastore: "orders")
            let (report, context) = try await Self.drill(harness, Self.playbook(harness.topology, fault: fault, duration: .seconds(2)))
            #expect(report.outcome == .passed, "\(report.text)")
            #expect(!FileManager.default.fileExists(atPath: marker))
            let restore = try #require(report.steps.first { $0.step == "restore" && $0.status == "done" })
            #expect(restore.detail?.contains("passed after") == true)
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    @Test func anInstanceKillTakesLiveInstancesOfItsZoneAndStartsThemAgain() async throws {
        try await ReleaseHarness.with(basePort: 23800) { harness in
            let fault = FaultSpec.instanceKill(service: "gateway", zone: "zone-b", count: 1)
            let (report, context) = try await Self.drill(harness, Self.playbook(harness.topology, fault: fault, duration: .seconds(3)))
            #expect(report.outcome == .passed, "\(report.text)")
            #expect(report.faultDescription.contains("SIGKILL to 1 instance of gateway: gateway-zone-b-blue-0"))
            let restore = try #require(report.steps.first { $0.step == "restore" && $0.status == "done" })
            #expect(restore.detail?.contains("1 instance of gateway started again, 1 still running") == true, "\(restore.detail ?? "")")
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }

    /// A zone cut off the network (packets dropped, so connects time out instead of being refused): passive
    /// health still routes around it, slower. Where iptables cannot run, the drill says so and breaks nothing.
    @Test func aNetworkCutZoneIsSurvivedOrReportedAsNotAvailable() async throws {
        try await ReleaseHarness.with(basePort: 23900) { harness in
            let playbook = Self.playbook(harness.topology, fault: .zoneOutage(zone: "zone-a", mode: .network), duration: .seconds(6),
                                         rto: .seconds(15))
            let (report, context) = try await Self.drill(harness, playbook)
            if let why = await ProcessInstanceDriver.firewall.unavailability() {
                #expect(report.outcome == .error)
                #expect(report.notes.contains { $0.contains("not available") && $0.contains(why) }, "\(report.notes)")
                return
            }
            #expect(report.faultDescription.contains("cut off the network"))
            #expect(report.outcome == .passed, "\(report.text)")
            let m = try #require(report.measurements)
            // Connects to the cut zone wait out nginx's 2 s connect timeout before the retry.
            #expect(m.worstP99 >= 1_500, "worst p99 \(m.worstP99) ms")
            let rules = try await Command.run(["iptables", "-w", "-S", "INPUT"])
            #expect(!rules.output.contains(report.id), "the drill's DROP rules are gone: \(rules.output)")
            try await Self.expectRestored(harness, context, run: report.id)
        }
    }
}
