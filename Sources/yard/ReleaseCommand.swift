import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

struct Release: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Blue-green releases: run one, see their status, promote, abort, history.",
        discussion: """
        `yard release SERVICE --version V` brings V up in the idle slot, gates it through the preview \
        listener, switches nginx in one checked reload, bakes with the playbook's gates and promotes, \
        or switches straight back when a gate fails. Open streams are never cut: the old slot drains.

        With --server (or $YARD_SERVER) the release runs in yardd instead: `yard release` starts it \
        through the API and follows its event stream (reconnecting after a dropped connection), and \
        status, promote, abort and history ask the daemon. --token (or $YARD_TOKEN) is the bearer \
        token: viewer for status and history, operator to release, promote and abort.

        Exit status: 0 promoted, 2 rolled back or aborted, 1 error.

        Examples:
          yard up gateway --version 1.0.0
          yard release gateway --version 1.1.0
          yard release gateway 1.1.0
          yard release gateway --version 1.2.0 --bake 30s --manual
          yard release promote rel-20261125-131500-gateway-x7k2
          yard release watch                 # re-attach to the newest running release
          yard release list --running
          yard release history

          export YARD_SERVER=http://127.0.0.1:7780 YARD_TOKEN=yard_…
          yard release gateway --version 1.3.0
          yard release status --json
        """,
        subcommands: [Run.self, Status.self, Watch.self, Promote.self, Abort.self, History.self],
        defaultSubcommand: Run.self
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Release a new version of a service (the default).")

        @Argument(help: "The service to release, as named in the topology.") var service: String
        @Argument(help: ArgumentHelp("The version to release (or --version).", valueName: "version")) var versionArgument: String?
        @Option(help: "The version to release.") var version: String?
        @Option(help: "The topology (default: the one the service's release playbook names).") var topology: String?
        @Option(help: "A release playbook file (default: the one in playbooks/ for the service).") var playbook: String?
        @Flag(help: "Wait for `yard release promote` after the bake instead of promoting.") var manual = false
        @Option(help: "Override the playbook's bake duration (e.g. 30s).") var bake: String?
        @Option(help: "Override the playbook's bake sampling interval (e.g. 2s).") var interval: String?
        @Option(help: "Override the scale-down delay of the old slot (e.g. 0s).") var scaleDownDelay: String?
        @Flag(help: "Print the summary as JSON on stdout; progress goes to stderr.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            try Release.refuseMisspeltSubcommand(service)
            switch (versionArgument, version) {
            case (nil, nil): throw ValidationError("which version? yard release \(service) VERSION (or --version VERSION)")
            case (let a?, let b?) where a != b: throw ValidationError("two versions given: \(a) and --version \(b)")
            default: break
            }
        }

        func run() async throws {
            let version = (versionArgument ?? self.version)!
            if let client = try server.client() {
                let local = [("--playbook", playbook), ("--bake", bake), ("--interval", interval), ("--scale-down-delay", scaleDownDelay)].filter { $0.1 != nil }.map(\.0)
                guard local.isEmpty else {
                    throw ValidationError("\(local.joined(separator: ", ")) apply to a local run only; yardd releases with the playbook in its manifests folder as written")
                }
                try await RemoteRelease.run(client, service: service, version: version, topology: topology, manual: manual, json: json)
                return
            }
            var (topology, playbook) = try Workspace.release(service: service, topology: self.topology, playbook: self.playbook)
            if let bake { playbook.bake.duration = try span(bake, "--bake") }
            if let interval { playbook.bake.interval = try span(interval, "--interval") }
            if let scaleDownDelay { playbook.scaleDownDelay = try span(scaleDownDelay, "--scale-down-delay") }
            let store = try await Workspace.store()
            let context = try Workspace.context(topology: topology, playbook: playbook, store: store)
            let view = ReleaseView(json: json)
            do {
                // A release that a killed process left unfinished is finished (or rolled back) first.
                let unfinished = try await store.unfinishedReleases().filter { $0.service == service }
                for record in unfinished {
                    let releaseID = record.id, releaseVersion = record.version
                    view.show(.note("release \(releaseID) of \(releaseVersion) was interrupted in phase \(record.phase.rawValue); resuming it first"))
                    let resumer = ReleaseRunner(context: context) { view.show($0) }
                    let summary = try await resumer.resume(releaseID: releaseID)
                    if releaseVersion == version { await Release.flushNotices(context); try finish(summary, json: json); return }
                    try? finish(summary, json: false)
                }
                let runner = ReleaseRunner(context: context) { view.show($0) }
                let summary = try await runner.release(version: version, manual: manual ? true : nil)
                await Release.flushNotices(context)
                try finish(summary, json: json)
            } catch let error as ExitCode {
                throw error
            } catch StateStoreError.fenced(let fence, let current) {
                throw CommandFailure("release stopped: \(StateStoreError.fenced(fence: fence, current: current))", code: "fenced")
            } catch {
                throw CommandFailure("release failed to start: \(error)", code: "release-failed")
            }
        }
    }

    /// Gives the release's notices a few seconds to reach their targets before the process ends (the release
    /// itself is over: a target that does not answer delays only the exit, by at most this long).
    static func flushNotices(_ context: ReleaseContext) async {
        await context.notifier?.flush(timeout: .seconds(5))
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a release (default: the latest) and what each service routes.")
        @Argument(help: "A release id.") var id: String?
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() { return try await RemoteRelease.status(client, id: id, json: json) }
            let store = try await Workspace.existingStore()
            let record: ReleaseRecord?
            if let id { record = try await store?.release(id: id) } else { record = try await store?.listReleases(ReleaseQuery(limit: 1)).first }
            guard let store, let record else {
                throw CommandFailure(id.map { "no release \($0) here; yard release history lists them" }
                                     ?? "no release yet here; start one with yard release SERVICE VERSION", code: "not-found")
            }
            try RemoteRelease.printStatus(SwitchyardServer.ReleaseView(record, routing: try await store.routing(service: record.service)), json: json)
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Promote a release waiting for it (or end its bake early).")
        @Argument(help: "The release id.") var id: String
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() { return try await RemoteRelease.control(client, id: id, abortReason: nil, json: json) }
            try await control(id, .promote, json: json)
        }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Abort a release: traffic goes back to the old slot.")
        @Argument(help: "The release id.") var id: String
        @Option(help: "Why, for the record.") var reason = "aborted from the CLI"
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() { return try await RemoteRelease.control(client, id: id, abortReason: reason, json: json) }
            try await control(id, .abort(reason: reason), json: json)
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List releases, newest first (also `yard release list`).", aliases: ["list"])
        @Option(help: "Only this service.") var service: String?
        @Option(help: "How many.") var limit = 20
        @Flag(help: "Only releases not finished yet: running, or interrupted and waiting to be resumed.") var running = false
        @Flag(help: "Print as JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            if let client = try server.client() { return try await RemoteRelease.history(client, service: service, limit: limit, running: running, json: json) }
            let store = try await Workspace.existingStore()
            let records = running
                ? Array((try await store?.unfinishedReleases() ?? []).filter { service == nil || $0.service == service }.reversed().prefix(limit))
                : try await store?.listReleases(ReleaseQuery(service: service, limit: limit)) ?? []
            if records.isEmpty, !json { print("no \(running ? "running " : "")releases\(service.map { " of \($0)" } ?? "")\(running ? "" : " yet")"); return }
            try RemoteRelease.printHistory(records.map { SwitchyardServer.ReleaseView($0) }, json: json)
        }
    }
}

/// Sends a promote or an abort to a running release through its journal, as a typed request.
func control(_ id: String, _ request: ReleaseControl, json: Bool = false) async throws {
    guard let store = try await Workspace.existingStore() else {
        throw CommandFailure("no release \(id) here: \(Workspace.noStateYet)", code: "not-found")
    }
    do {
        try await ReleaseControlJournal.send(request, release: id, store: store, actor: AuditTrail.localActor)
    } catch let failure as ReleaseControlJournal.Failure {
        switch failure {
        case .unknownRelease: throw CommandFailure("\(failure); yard release history lists the releases here", code: "not-found")
        case .over: throw CommandFailure("\(failure); there is nothing left to \(request.isAbort ? "abort" : "promote")", code: "release-over")
        }
    }
    let status = request.requestedStatus
    if json { try printJSON(["id": id, "status": status]) } else { print("\(id): \(status)") }
}

extension Release {
    /// `yard release statuss` is a misspelt subcommand, not a release of a service named "statuss": a first
    /// argument a typo away from a subcommand's name is refused unless a topology here has a service of that name
    /// (`yard release run NAME VERSION` releases such a service in any case).
    static func refuseMisspeltSubcommand(_ service: String) throws {
        // Typed out (`yard release run statuss 1.0`), the service is what it says.
        let arguments = CommandLine.arguments.dropFirst()
        if let release = arguments.firstIndex(of: "release"), arguments.index(after: release) < arguments.endIndex,
           arguments[arguments.index(after: release)] == "run" { return }
        let names = CommandTree.names(of: Release.self).filter { $0 != "run" }
        guard let suggestion = Suggestion.closest(to: service, in: names) else { return }
        let paths = ManifestLoader.defaultPaths.filter { FileManager.default.fileExists(atPath: $0) }
        let services = ManifestLoader.load(paths: paths).set.topologies.flatMap { $0.services.map(\.name) }
        guard !services.contains(service) else { return }
        throw ValidationError("Unknown command '\(service)'. Did you mean '\(suggestion)'? (To release a service named \(service): yard release run \(service) VERSION.)")
    }
}

extension ReleaseControl {
    var isAbort: Bool {
        switch self {
        case .promote: false
        case .abort: true
        }
    }
}

func span(_ text: String, _ flag: String) throws -> TimeSpan {
    guard let value = TimeSpan(parsing: text) else { throw ValidationError("\(flag): expected a duration such as 30s or 10m, got \(text)") }
    return value
}

func finish(_ summary: ReleaseSummary, json: Bool) throws {
    if json { try printJSON(summary) } else {
        print("\(summary.outcome == .promoted ? "✔" : "✘") \(summary.service) \(summary.version): \(summary.outcome.rawValue): \(summary.reason)")
        if let ms = summary.switchMilliseconds { print(String(format: "  switch complete in %.0f ms", ms)) }
        if let ms = summary.rollbackMilliseconds { print(String(format: "  traffic back on the old slot %.0f ms after the failing verdict", ms)) }
    }
    switch summary.outcome {
    case .promoted: return
    case .rolledBack: throw ExitCode(2)
    case .failed: throw ExitCode(1)
    }
}

