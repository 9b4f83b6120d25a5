import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

extension Drill {
    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Abort a running drill: its fault is restored at once and the run ends aborted.",
            discussion: """
            The request is stored with the run; the runner driving it (a `yard drill run` here, or yardd) reads it \
            within half a second, restores what it broke, stops its traffic and writes its report (outcome aborted). \
            Audited as drill.abort. `yard drill watch ID` follows it to its end. A run whose process was killed is \
            restored here and now (status restored-after-crash), as the next `yard drill run` would.

            Examples:
              yard drill abort drill-20261125-131500-drill-zone-outage-x7k2
              yard drill abort ID --reason "customer traffic spike" --server http://127.0.0.1:7780
            """
        )
        @Argument(help: "The drill run's id (yard drill history lists them).") var id: String
        @Option(help: "Why, for the report and the audit log.") var reason = "aborted from the CLI"
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() {
                let accepted = try await remote { () async throws(YarddClient.Failure) in try await client.abort(drillRun: id, reason: reason) }
                if json { try printJSON(accepted) } else { print("\(accepted.id): \(accepted.status)") }
                return
            }
            guard let store = try await Workspace.existingStore() else {
                throw CommandFailure("no drill run \(id) here: \(Workspace.noStateYet)", code: "not-found")
            }
            let sent: DrillAbort.Sent
            do {
                sent = try await DrillAbort.send(run: id, reason: reason, store: store, actor: AuditTrail.localActor)
            } catch let failure as DrillAbort.Failure {
                switch failure {
                case .unknownRun: throw CommandFailure("\(failure); yard drill history lists the runs here", code: "not-found")
                case .over: throw CommandFailure("\(failure); there is nothing left to abort", code: "drill-over")
                }
            }
            let status = sent.driven ? "abort-requested" : try await recoverOrphan(store)
            if json { try printJSON(["id": id, "status": status]) } else { print("\(id): \(status)") }
        }

        /// No process drives the run any more (it was killed): nobody will read the request, so what it broke is
        /// restored here and now, as the next `yard drill run` would.
        func recoverOrphan(_ store: any StateStore) async throws -> String {
            let set = try Workspace.manifests()
            let driver = FleetInstanceDriver.standard(logDirectory: Workspace.logDirectory)
            let executor = RestoreExecutor(topologies: set.topologies, store: store, instances: driver)
            for recovered in try await DrillRecovery.recover(store: store, executor: executor) {
                printError("restored interrupted drill \(recovered.run): \((recovered.restored + recovered.failures.map { "failed: \($0)" }).joined(separator: "; "))")
            }
            guard let record = try await store.drillRun(id: id), record.isFinished else {
                throw CommandFailure("drill run \(id) was not driven by any process and its restore failed; restore by hand, then run yard drill abort again", code: "restore-failed")
            }
            return record.status
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-attach to a drill run: its live view from the start, to its report; exits with its outcome.",
            discussion: """
            Without an id, the newest run still running. The steps and seconds of traffic so far are shown first, then \
            each as it happens, the same lines as `yard drill run` prints. Ctrl-C stops watching, not the drill.

            Through --server the daemon's event stream is followed (reconnecting after a dropped connection); locally \
            the state file here is read every 250 ms, for a run that another `yard drill run` drives.

            Exit status: 0 passed, 2 failed or aborted, 1 an error (no such run, none running).

            Examples:
              yard drill watch
              yard drill watch drill-20261125-131500-drill-zone-outage-x7k2 --server http://127.0.0.1:7780
            """
        )
        @Argument(help: "A drill run's id (default: the newest one still running).") var id: String?
        @Flag(help: "Print the report as JSON on stdout; the live view goes to stderr.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() {
                let id = if let given = self.id { given } else { try await RemoteDrill.newestRunning(client) }
                DrillLiveView.note("watching drill run \(id) in yardd at \(client.server) (Ctrl-C stops watching, not the drill)", toStandardError: json)
                return try await RemoteDrill.follow(client, id: id, json: json)
            }
            guard let store = try await Workspace.existingStore() else {
                throw CommandFailure("no drill run to watch: \(Workspace.noStateYet)", code: "not-found")
            }
            let id = if let given = self.id { given } else { try await LocalDrillWatch.newestRunning(store) }
            guard try await store.drillRun(id: id) != nil else {
                throw CommandFailure("no drill run \(id) here; yard drill history lists them", code: "not-found")
            }
            DrillLiveView.note("watching drill run \(id) in \(Workspace.statePath) (Ctrl-C stops watching, not the drill)", toStandardError: json)
            try await LocalDrillWatch.follow(store, id: id, json: json)
        }
    }
}
