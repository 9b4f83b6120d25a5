import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

@Suite struct ResumeTests {
    @Test func reconnectWithLastEventIDResumesAfterThatEvent() async throws {
        try await InProcessGateway.with { gateway async throws in
            let body = TestHTTP.chatBody(stream: true, maxTokens: 6, prompt: "resume")
            // Read the first three events, then drop the connection as a flaky network would.
            let first = try await TestHTTP.stream(gateway.chatURL, body: body, headers: [("X-Yard-Token-Delay", "30ms")], stopAfterEvents: 3)
            let lastID = try #require(first.events.last?.id)
            let id = try #require(EventID(parsing: lastID))
            #expect(id.sequence == 2)

            let resumed = try await TestHTTP.stream(gateway.chatURL, body: body, headers: [("Last-Event-ID", lastID)])
            #expect(resumed.sawDone)
            let ids = try resumed.events.map { try #require(EventID(parsing: $0.id ?? "")) }
            #expect(ids.first?.sequence == 3)
            #expect(ids.allSatisfy { $0.streamID == id.streamID })
            #expect(ids.map(\.sequence) == Array(3...8))
            // Together the two halves are exactly one answer.
            let whole = try first.text() + resumed.text()
            #expect(whole == LocalModel.answer(seed: LocalModel.seed(for: "resume"), tokens: 6))
            #expect(gateway.server.metrics.exposition().contains("yard_streams_resumed_total 1"))
        }
    }

    @Test func finishedStreamReplaysFromTheStore() async throws {
        try await InProcessGateway.with { gateway async throws in
            let body = TestHTTP.chatBody(stream: true, maxTokens: 3)
            let whole = try await TestHTTP.stream(gateway.chatURL, body: body)
            let second = try #require(whole.events.dropFirst().first?.id)
            let replay = try await TestHTTP.stream(gateway.chatURL, body: body, headers: [("Last-Event-ID", second)])
            #expect(replay.events == Array(whole.events.dropFirst(2)))
        }
    }

    @Test func unknownLastEventIDStartsAFreshStream() async throws {
        try await InProcessGateway.with { gateway async throws in
            let stream = try await TestHTTP.stream(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2), headers: [("Last-Event-ID", "ffffffffffffffff-3")]
            )
            #expect(stream.sawDone)
            #expect(EventID(parsing: stream.events.first?.id ?? "")?.sequence == 0)
        }
    }

    @Test func eventIDsRoundTrip() {
        #expect(EventID(parsing: "0123abcd-17") == EventID(streamID: "0123abcd", sequence: 17))
        #expect(EventID(streamID: "ab", sequence: 3).description == "ab-3")
        #expect(EventID(parsing: "-3") == nil)
        #expect(EventID(parsing: "ab-") == nil)
        #expect(EventID(parsing: "a/b-1") == nil)
        #expect(EventID.newStreamID().count == 16)
    }

    @Test func storeForgetsOldStreamsAndBoundsItsSize() {
        let clock = Mutex(0.0)
        let store = StreamStore(retention: 10, maxStreams: 2, maxEventsPerStream: 2) { clock.withLock { $0 } }
        func plan(_ id: String) -> StreamPlan {
            StreamPlan(streamID: id, model: "m", created: 0, tokens: 3, tokenDelay: .zero, seed: 1, fingerprint: "f")
        }
        store.begin(plan("a"))
        for sequence in 0..<4 { store.record(streamID: "a", sequence: sequence, frame: "\(sequence)", finished: false) }
        #expect(store.entry(streamID: "a")?.events.map(\.sequence) == [2, 3])
        clock.withLock { $0 = 1 }
        store.begin(plan("b"))
        clock.withLock { $0 = 2 }
        store.begin(plan("c"))
        #expect(store.count == 2)
        #expect(store.entry(streamID: "a") == nil)
        clock.withLock { $0 = 20 }
        #expect(store.entry(streamID: "c") == nil)
    }
}

import Synchronization
