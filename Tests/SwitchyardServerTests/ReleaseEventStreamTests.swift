import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// `GET /v1/releases/{id}/events`: a release started over the API, with real gateways and a real nginx, watched
/// over the event stream to its end; a reconnect with `Last-Event-ID` continues without a duplicate or a gap.
@Suite(.serialized) struct ReleaseEventStreamTests {
    @Test func aReleaseStartedOverTheAPIIsWatchedToPromotionAndResumedWithoutGapOrDuplicate() async throws {
        let workspace = try FleetWorkspace(basePort: 23300)
        do {
            try await watchAndResume(workspace)
        } catch {
            await workspace.tearDown()
            throw error
        }
        await workspace.tearDown()
    }

    func watchAndResume(_ workspace: FleetWorkspace) async throws {
        let store = try workspace.store()
        try await workspace.up(store: store)
        let (_, operatorToken) = try await TokenAdmin.create(name: "ci", role: .operator, in: store, actor: "test")
        let (_, viewerToken) = try await TokenAdmin.create(name: "watcher", role: .viewer, in: store, actor: "test")
        try await Self.withDaemon(workspace, store: store) { port in
            let operatorClient = try YarddClient(server: "127.0.0.1:\(port)", token: operatorToken)
            let viewer = try YarddClient(server: "http://127.0.0.1:\(port)/", token: viewerToken)
            let accepted = try await operatorClient.startRelease(StartReleaseRequest(service: "gateway", version: "2.0.0"))
            #expect(accepted.status == "started")

            // First connection: three entries, then the client hangs up.
            var first: [JournalEntryView] = []
            let outcome = try await viewer.streamEvents(release: accepted.id, after: 0) { event in
                if case .journal(let entry) = event { first.append(entry) }
                return first.count < 3
            }
            guard case .stopped = outcome else { Issue.record("the first connection ended with \(outcome)"); return }
            #expect(first.map(\.sequence) == [1, 2, 3])

            // Second connection: from Last-Event-ID 3 to the end.
            var second: [JournalEntryView] = []
            var ends = 0
            let final = try await viewer.follow(release: accepted.id, after: 3) { event in
                switch event {
                case .journal(let entry): second.append(entry)
                case .end: ends += 1
                }
            }
            #expect(final.outcome == "promoted", "\(final)")
            #expect(ends == 1)
            #expect(second.first?.sequence == 4)

            // Every journal entry exactly once, in order, and the same JSON as GET …/journal.
            let journal = try await viewer.journal(release: accepted.id)
            #expect((first + second).map(\.sequence) == Array(1...journal.entries.count))
            #expect(first + second == journal.entries)
            #expect(journal.entries.last?.message.hasPrefix("finished: promoted") == true)
            #expect(final == (try await viewer.release(id: accepted.id)))

            // The wire format: id, event and data lines; after the release is over the stream replays and ends at once.
            let raw = try await Self.raw(port: port, path: "/v1/releases/\(accepted.id)/events", token: viewerToken, lastEventID: "\(journal.entries.count - 1)")
            #expect(raw.status == 200)
            #expect(raw.contentType == "text/event-stream")
            let lastSequence = journal.entries.count
            #expect(raw.body.hasPrefix("id: \(lastSequence)\nevent: journal\ndata: {"), "\(raw.body)")
            #expect(raw.body.contains("\n\nevent: end\ndata: {"))
            #expect(raw.body.hasSuffix("}\n\n"))
            #expect(!raw.body.contains("id: \(lastSequence - 1)\n"), "Last-Event-ID \(lastSequence - 1) replayed what the client had")

            // A Last-Event-ID that is no sequence is refused; an unknown release is 404, as for its journal.
            let bad = try await Self.raw(port: port, path: "/v1/releases/\(accepted.id)/events", token: viewerToken, lastEventID: "yesterday")
            #expect(bad.status == 400)
            let missing = try await Self.raw(port: port, path: "/v1/releases/rel-nope/events", token: viewerToken, lastEventID: nil)
            #expect(missing.status == 404)
        }
    }

    /// Runs the daemon in this process (real process driver, real nginx) on an ephemeral port around `body`.
    /// Runs `body` with the API port of a daemon in this process, on the workspace's manifests (`catalog`, when given:
    /// the folder read again after a test added to it) and `store`; drills run through `makeDrillLauncher`'s launcher.
    static func withDaemon(_ workspace: FleetWorkspace, store: any StateStore, catalog: ManifestCatalog? = nil,
                           makeDrillLauncher: (@Sendable (LiveCatalog, Logger) -> any DrillLauncher)? = nil,
                           _ body: (Int) async throws -> Void) async throws {
        let logger = { () -> Logger in
            var logger = Logger(label: "yardd-test")
            logger.logLevel = .warning
            return logger
        }()
        let configuration = DaemonConfiguration(host: "127.0.0.1", port: 0, statePath: workspace.statePath, manifestsDirectory: workspace.folder.path)
        var launcher: (@Sendable (LiveCatalog) -> any DrillLauncher)?
        if let makeDrillLauncher { launcher = { makeDrillLauncher($0, logger) } }
        let daemon = Daemon(configuration: configuration, catalog: catalog ?? workspace.catalog, store: store,
                            makeDrillLauncher: launcher, logger: logger)
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let group = daemon.makeServiceGroup(gracefulShutdownSignals: []) { _, port in portSignal.yield(port) }
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = await running.result
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    struct Raw {
        var status: Int
        var contentType: String?
        var body: String
    }

    /// One GET read to its end, as text.
    static func raw(port: Int, path: String, token: String, lastEventID: String?) async throws -> Raw {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 22)
        return Raw(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: String(buffer: body))
    }
}
