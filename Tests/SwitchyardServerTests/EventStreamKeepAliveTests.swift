import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// The event stream of a release that is not over: `: ping` comments while it is quiet, entries written by
/// another writer as they come, and an end (without `end`) when the server stops gracefully. Intervals are
/// shortened here (the daemon pings after 10 s).
@Suite(.serialized) struct EventStreamKeepAliveTests {
    @Test func quietStreamsArePingedAndNewEntriesArrive() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yardd-ping-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStateStore(path: folder.appendingPathComponent("state.sqlite").path)
        try await Seed.release(store, id: "rel-1")

        let feed = ReleaseJournalFeed(store: store, pollInterval: .milliseconds(50))
        let router = Router()
        router.get("/events") { request, _ in
            ReleaseEventStream(items: try await feed.subscribe(release: "rel-1", after: try ReleaseEventStream.lastEventID(request), token: "test"),
                               pingInterval: .milliseconds(300)).response()
        }
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSignal.yield($0.localAddress?.port ?? 0) })
        var logger = Logger(label: "ping-test")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        var text = ""
        var appended = false
        let clock = ContinuousClock()
        let start = clock.now
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/events")
        request.headers.add(name: "Last-Event-ID", value: "0")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.headers.first(name: "Content-Type") == "text/event-stream")
        var pingsAfterEntry = 0
        for try await chunk in response.body {
            text += String(buffer: chunk)
            if !appended, text.contains(": ping\n") {
                // Another writer (a runner in another process, say) appends an entry: it arrives on the open stream.
                try await store.appendJournal(release: "rel-1", [.note("a note from elsewhere")], now: Date())
                appended = true
            }
            if appended, text.contains("id: 2\n") { pingsAfterEntry = text.components(separatedBy: "id: 2\n")[1].components(separatedBy: ": ping").count - 1 }
            if pingsAfterEntry >= 1 || clock.now - start > .seconds(10) { break }
        }
        #expect(text.hasPrefix("id: 1\nevent: journal\ndata: {"), "\(text)")
        #expect(text.contains("id: 2\nevent: journal\ndata: {"), "\(text)")
        #expect(text.contains("a note from elsewhere"))
        #expect(pingsAfterEntry >= 1, "\(text)")
        #expect(!text.contains(": ping\n\n"), "a ping is one comment line, never followed by a blank line: \(text)")
        #expect(!text.contains("event: end"))
        #expect(clock.now - start < .seconds(5))

        // A graceful stop ends a stream that is still open (the client reconnects to the next start).
        // Stopped once the stream has delivered its backlog (not before the first write, which would test a race).
        let second = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/events"), timeout: .seconds(30))
        var received = ""
        var chunks = second.body.makeAsyncIterator()
        while !received.contains("id: 2\n"), let chunk = try await chunks.next() { received += String(buffer: chunk) }
        #expect(received.contains("id: 2\n"))
        let stopping = clock.now
        await group.triggerGracefulShutdown()
        while try await chunks.next() != nil {}
        #expect(clock.now - stopping < .seconds(5))
        try await running.value
    }

    /// A stream that goes silent (no event, no ping: a peer gone half-open) is dropped by the client after its
    /// idle timeout, so `follow` reconnects instead of waiting forever.
    @Test func aSilentStreamIsDroppedByTheClient() async throws {
        let router = Router()
        router.get("/v1/releases/:id/events") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "id: 1\nevent: journal\ndata: {\"at\":\"2026-11-25T15:00:00Z\",\"kind\":\"note\",\"message\":\"m\",\"sequence\":1,\"status\":\"done\"}\n\n"))
                while !Task.isCancelled, !Task.isShuttingDownGracefully { try await Task.sleep(for: .milliseconds(100)) }
                try await writer.finish(nil)
            })
        }
        let (ports, portSignal) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSignal.yield($0.localAddress?.port ?? 0) })
        var logger = Logger(label: "idle-test")
        logger.logLevel = .warning
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        var client = try YarddClient(server: "127.0.0.1:\(port)", token: nil)
        client.eventIdleTimeout = .milliseconds(1500)
        let clock = ContinuousClock()
        let start = clock.now
        var received: [Int] = []
        let outcome = try await client.streamEvents(release: "rel-1", after: 0) { event in
            if case .journal(let entry) = event { received.append(entry.sequence) }
            return true
        }
        let waited = clock.now - start
        #expect(received == [1])
        guard case .closed(let reason) = outcome else { Issue.record("expected the stream to be dropped, got \(outcome)"); return }
        #expect(reason.contains("nothing received"), "\(reason)")
        #expect(waited >= .milliseconds(1400) && waited < .seconds(6), "\(waited)")
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
