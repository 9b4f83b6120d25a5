import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

extension Drill {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a drill now: break what its playbook says under live traffic, measure, restore.",
            discussion: """
            Steps: steady state checked → traffic started → restore actions journaled → fault injected → \
            observed every second (guardrails may abort early) → restored → traffic watched until it \
            recovers → steady state checked again → measured against the objectives.

            What a drill breaks is always restored: the undo steps are in the state store before the fault, \
            and a drill interrupted midway is restored by the next `yard drill run` (or yardd start).

            Exit status: 0 passed, 2 failed or aborted (an objective missed, a guardrail tripped), 1 error.

            Examples:
              yard up gateway --version 1.0.0
              yard drill run drill-zone-outage --dry-run
              yard drill run drill-zone-outage --duration 20s
              yard drill report <id> --html report.html
            """
        )

        @Argument(help: "The drill playbook's name (see playbooks/).") var playbook: String
        @Flag(help: "Print every step, with the fault's targets and restores, and do nothing.") var dryRun = false
        @Option(help: "Override how long the fault stays (e.g. 20s).") var duration: String?
        @Option(help: "Longest wait for traffic to recover after the restore (default 30s).") var settle: String?
        @Flag(help: "Print the report as JSON on stdout; progress goes to stderr.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() {
                let local = [("--dry-run", dryRun ? "" : nil), ("--duration", duration), ("--settle", settle)].filter { $0.1 != nil }.map(\.0)
                guard local.isEmpty else {
                    throw ValidationError("\(local.joined(separator: ", ")) apply to a local run only; yardd runs the playbook in its manifests folder as written")
                }
                return try await RemoteDrill.run(client, playbook: playbook, json: json)
            }
            let set = try Workspace.manifests()
            guard var drill = set.drillPlaybooks.first(where: { $0.name == playbook }) else {
                let known = set.drillPlaybooks.map(\.name).joined(separator: ", ")
                throw CommandFailure("no DrillPlaybook named \(playbook) in playbooks/ (known: \(known.isEmpty ? "none" : known))", code: "not-found")
            }
            if let duration { drill.duration = try span(duration, "--duration") }
            guard let topology = set.topology(named: drill.topology) else { throw ValidationError("topology \(drill.topology) not found in topologies/") }
            let store = try await Workspace.store()
            let context = try DrillContext.processes(playbook: drill, topology: topology, store: store,
                                                     workingDirectory: FileManager.default.currentDirectoryPath,
                                                     logDirectory: Workspace.logDirectory, actor: AuditTrail.localActor,
                                                     settleLimit: try settle.map { try span($0, "--settle") } ?? .seconds(30))
            if dryRun { return await DrillDryRun.print(context) }

            let executor = RestoreExecutor(topologies: set.topologies, store: store, instances: context.instances)
            for recovered in try await DrillRecovery.recover(store: store, executor: executor) {
                printError("restored interrupted drill \(recovered.run): \((recovered.restored + recovered.failures.map { "failed: \($0)" }).joined(separator: "; "))")
                if !recovered.failures.isEmpty { throw CommandFailure("an interrupted drill could not be restored; restore it by hand, then run again", code: "restore-failed") }
            }
            let json = self.json
            let runner = DrillRunner(context: context, executor: executor) { event in DrillLiveView.show(event, toStandardError: json) }
            do {
                try await AuditTrail(store: store).perform(actor: AuditTrail.localActor, action: "drill.run", target: drill.name, detail: "run \(runner.id)") {
                    try await runner.claim()
                }
            } catch { throw CommandFailure("\(error)", code: "drill-refused") }
            let report = await runner.run()
            await context.notifier?.flush(timeout: .seconds(5))
            try DrillEnd.finish(report, json: json)
        }
    }
}

/// The live view of a running drill: one line per step, one per second of traffic.
enum DrillLiveView {
    static func show(_ event: DrillProgress, toStandardError: Bool) {
        let line: String
        switch event {
        case .started(let id, let fault): line = "drill \(id): \(fault)"
        case .step(let step):
            guard step.status != "started" || step.detail != nil else { return }
            line = "  \(time(step.at))  \(step.step.padding(toLength: 18, withPad: " ", startingAt: 0)) \(step.status.padding(toLength: 7, withPad: " ", startingAt: 0)) \(step.detail ?? "")"
        case .second(let second, let faulted):
            let rate = second.successRate.map { String(format: "%5.1f%%", $0 * 100) } ?? "    - "
            line = "    t+\(String(format: "%3d", second.second))s \(faulted ? "FAULT" : "     ") \(rate) of \(second.finished) ok, \(second.failed) failed, \(second.streamsCut) streams cut, p99 \(Int(second.p99)) ms"
        case .finished: return
        }
        if toStandardError { printError(line) } else { print(line) }
    }

    /// A line about the view itself (following a daemon's run, a reconnect).
    static func note(_ text: String, toStandardError: Bool) {
        if toStandardError { printError("  \(text)") } else { print("  \(text)") }
    }

    static func time(_ date: Date) -> String { clock.string(from: date) }

    /// Made once: a formatter per printed line is needless work.
    nonisolated(unsafe) static let clock: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter
    }()
}

/// `--dry-run`: the steps the drill would take, with the fault's targets and restores, and nothing done.
enum DrillDryRun {
    static func print(_ context: DrillContext) async {
        let drill = context.playbook
        Swift.print("dry run of \(drill.name) on topology \(drill.topology): nothing will be done")
        var plan: String
        var planned = true
        var restores: [String] = []
        do {
            let made = try await FaultPlan.make(context)
            plan = made.description
            restores = made.restores.map(\.summary)
        } catch {
            planned = false
            plan = "would fail: \(error)"
            if case .dbPrimaryLoss(let store, _, let mode) = drill.fault {
                let member = "(the member answering primary then)"
                restores = [RestoreStep.rejoinAsReplica(topology: drill.topology, datastore: store, member: member).summary]
                switch mode {
                case .kill: break
                case .network: restores.append(RestoreStep.reconnectMember(topology: drill.topology, datastore: store, member: member, tag: "").summary)
                }
            }
        }
        var machine = DrillMachine(duration: drill.duration, settleLimit: context.settleLimit)
        var queue = machine.start()
        var number = 0
        while !queue.isEmpty {
            let action = queue.removeFirst()
            number += 1
            let line: String
            switch action {
            case .checkSteadyState(let stage):
                line = "check the steady state \(stage.rawValue) the fault: " + (drill.steadyState.isEmpty ? "no probes" : drill.steadyState.map { "\($0.requests) x GET \($0.path) → \($0.expectStatus) (≥ \($0.minSuccessRate))" }.joined(separator: ", "))
                queue += machine.steadyState(ok: true, detail: "")
            case .startTraffic:
                line = "start traffic through \(context.balancer.listen): \(drill.load.requestsPerSecond) requests/s, \(drill.load.streams) streams of \(drill.load.streamDuration)"
                queue += machine.trafficStarted(ok: true, detail: "")
            case .journalRestores:
                line = "journal the restores: " + (restores.isEmpty ? "none" : restores.joined(separator: "; "))
                queue += machine.restoresWritten(ok: true, detail: "")
            case .inject:
                if case .dbPrimaryLoss(_, let rate, _) = drill.fault {
                    Swift.print("  \(number). start the write probe: \(rate) numbered writes/s through the datastore's clients connection string, from \(DrillRunner.writeWarmUp.components.seconds) s before the fault")
                    number += 1
                }
                // A plan that could not be made (the members did not answer) does not say who would promote.
                let promotion = planned ? nil : managerWait(drill, context.topology)
                line = "inject \(drill.fault.kind): \(plan)"
                    + (promotion.map { "; " + DatastoreFailover.managerPlan($0) } ?? "")
                queue += machine.injected(ok: true, detail: "")
            case .observe(let duration):
                let g = drill.guardrails
                line = "observe every second for \(duration); abort if " + [g.minSuccessRate.map { "success < \($0) for \(g.floorFor)" }, g.maxP99.map { "p99 > \($0)" }].compactMap { $0 }.joined(separator: " or ")
                queue += machine.faultWindowEnded()
            case .restore:
                if case .dbPrimaryLoss = drill.fault {
                    Swift.print("  \(number). stop the write probe, read its rows back from the new primary: writers' RTO, longest gap, error rate, acknowledged writes lost")
                    number += 1
                }
                line = "restore, newest first: " + (restores.isEmpty ? "none" : restores.reversed().joined(separator: "; "))
                queue += machine.restored(ok: true, detail: "")
            case .settle(let limit):
                line = "watch traffic until it has recovered (at most \(limit))"
                queue += machine.settled()
            case .stopTraffic:
                line = "stop traffic"
                queue += machine.trafficStopped()
            case .analyse:
                let o = drill.objectives
                line = "measure against the objectives: RTO ≤ \(o.rto), success ≥ \(o.minSuccessRate)"
                    + (o.maxRequestsLost.map { ", ≤ \($0) requests lost" } ?? "") + (o.maxStreamsCut.map { ", ≤ \($0) streams cut" } ?? "")
                    + (drill.fault.kind == "db-primary-loss" ? ", writers' RTO ≤ \(o.rto) (the loss to the first write on the new primary)" : "")
                    + (o.maxLostWrites.map { ", ≤ \($0) acknowledged writes lost" } ?? "")
                    + (managerWait(drill, context.topology).map { ", a member primary within \($0) of the loss (the failover manager's promotion)" } ?? "")
                queue += machine.analysed(objectivesMet: true, detail: "")
            case .finish:
                line = "write the report (yard drill report <id>)"
            }
            Swift.print("  \(number). \(line)")
        }
    }

    /// How long a `db-primary-loss` waits for the datastore's failover manager; nil when the drill promotes.
    static func managerWait(_ drill: DrillPlaybook, _ topology: Topology) -> TimeSpan? {
        guard case .dbPrimaryLoss(let name, _, _) = drill.fault else { return nil }
        return topology.datastores.first { $0.name == name }?.failover.managerTimeout
    }
}
