import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer

extension Release {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-attach to a release: its live view from the start, to its end; exits with its outcome.",
            discussion: """
            Without an id, the newest release not finished yet. The journal so far is shown first, then each step \
            as it happens, the same lines as `yard release` prints. Ctrl-C stops watching, not the release.

            Through --server the daemon's event stream is followed (reconnecting after a dropped connection); \
            locally the state file here is read every 250 ms, for a release that another `yard release` runs.

            Exit status: 0 promoted, 2 rolled back or aborted, 1 failed or an error (no such release, no release running).

            Examples:
              yard release watch
              yard release watch rel-20261125-131500-gateway-x7k2 --server http://127.0.0.1:7780
            """
        )
        @Argument(help: "A release id (default: the newest one still running).") var id: String?
        @Flag(help: "Print the final release as JSON on stdout; the live view goes to stderr.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let view = ReleaseView(json: json)
            if let client = try server.client() {
                let id = try await remoteTarget(client)
                view.show(.note("watching release \(id) in yardd at \(client.server) (Ctrl-C stops watching, not the release)"))
                try await RemoteRelease.follow(client, id: id, view: view, json: json)
                return
            }
            guard let store = try await Workspace.existingStore() else {
                throw CommandFailure("no release to watch: \(Workspace.noStateYet)", code: "not-found")
            }
            let record = try await localTarget(store)
            view.show(.note("watching release \(record.id) in \(Workspace.statePath) (Ctrl-C stops watching, not the release)"))
            try await LocalWatch.follow(store, id: record.id, view: view, json: json)
        }

        func remoteTarget(_ client: YarddClient) async throws -> String {
            if let id { return id }
            let running = try await remote { () async throws(YarddClient.Failure) in try await client.releases(limit: 1, running: true) }
            guard let newest = running.first else {
                throw CommandFailure("no release is running on \(client.server); yard release history lists past ones, yard release watch ID follows one", code: "not-found")
            }
            return newest.id
        }

        func localTarget(_ store: any StateStore) async throws -> ReleaseRecord {
            if let id {
                guard let record = try await store.release(id: id) else {
                    throw CommandFailure("no release \(id) here; yard release history lists them", code: "not-found")
                }
                return record
            }
            guard let newest = try await store.unfinishedReleases().last else {
                throw CommandFailure("no release is running here; yard release history lists past ones, yard release watch ID follows one", code: "not-found")
            }
            return newest
        }
    }
}

/// Follows a release in the local state file: prints its journal entries as they are written, then ends as
/// `RemoteRelease.finish` does once the record says it is finished.
enum LocalWatch {
    static func follow(_ store: any StateStore, id: String, view: ReleaseView, json: Bool, every interval: Duration = .milliseconds(250)) async throws {
        var last = 0
        while true {
            // The record first: a record read as finished has every entry of its journal written before it.
            guard let record = try await store.release(id: id) else {
                throw CommandFailure("release \(id) is gone from \(Workspace.statePath)", code: "not-found")
            }
            for entry in try await store.journal(release: id, after: last) {
                view.show(entry: JournalEntryView(entry))
                last = entry.sequence
            }
            if record.isFinished {
                try RemoteRelease.finish(SwitchyardServer.ReleaseView(record, routing: try await store.routing(service: record.service)), json: json)
                return
            }
            try await Task.sleep(for: interval)
        }
    }
}
