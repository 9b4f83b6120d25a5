import Foundation
import SwitchyardCore
import Synchronization
import Testing
@testable import SwitchyardGateway

/// The resume buffer bounded in bytes and purged on a timer; a resume only for the key that
/// started the stream.
@Suite struct ResumeHardeningTests {
    static func plan(_ id: String) -> StreamPlan {
        StreamPlan(streamID: id, model: "m", created: 0, tokens: 3, tokenDelay: .zero, seed: 1, fingerprint: "f")
    }

    @Test func theStoreStaysWithinItsByteBudget() {
        let clock = Mutex(0.0)
        let store = StreamStore(limits: .init(retention: 60, maxStreams: 100, maxEventsPerStream: 100, maxBytes: 1000)) { clock.withLock { $0 } }
        let frame = String(repeating: "x", count: 100)
        for stream in 0..<5 {
            store.begin(Self.plan("s\(stream)"))
            for sequence in 0..<4 { store.record(streamID: "s\(stream)", sequence: sequence, frame: frame, finished: false) }
        }
        // 5 streams × 400 bytes do not fit in 1000: the least recently written went first.
        #expect(store.bytes <= 1000)
        #expect(store.count == 2)
        #expect(store.entry(streamID: "s0") == nil)
        #expect(store.entry(streamID: "s4")?.events.count == 4)
        // Events past the per-stream cap give their bytes back.
        for sequence in 4..<20 { store.record(streamID: "s4", sequence: sequence, frame: frame, finished: false) }
        #expect(store.bytes <= 1000)
    }

    @Test func expiredStreamsAreFreedWithoutNewTraffic() {
        let clock = Mutex(0.0)
        let store = StreamStore(limits: .init(retention: 10)) { clock.withLock { $0 } }
        store.begin(Self.plan("old"))
        store.record(streamID: "old", sequence: 0, frame: "frame", finished: true)
        clock.withLock { $0 = 5 }
        store.begin(Self.plan("new"))
        clock.withLock { $0 = 12 }
        #expect(store.purgeExpired() == 1)
        #expect(store.count == 1 && store.bytes == 0)
        clock.withLock { $0 = 16 }
        #expect(store.purgeExpired() == 1)
        #expect(store.count == 0)
    }

    @Test func theTimerPurgesARunningGatewaysStore() async throws {
        try await InProcessGateway.with({ $0.resumeRetention = .seconds(1) }) { gateway async throws in
            _ = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2))
            #expect(gateway.server.context.store.count == 1)
            #expect(gateway.server.context.store.bytes > 0)
            // The purge runs every 100 ms here; nothing else touches the store, which empties a second after the stream.
            let deadline = ContinuousClock.now + .seconds(5)
            while gateway.server.context.store.count > 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(gateway.server.context.store.count == 0)
            #expect(gateway.server.context.store.bytes == 0)
        }
    }

    @Test func onlyTheKeyThatStartedAStreamResumesIt() async throws {
        try await InProcessGateway.with({ $0.apiKeys = ["sk-owner", "sk-other"] }) { gateway async throws in
            let body = TestHTTP.chatBody(stream: true, maxTokens: 4, prompt: "mine")
            let owner = [("Authorization", "Bearer sk-owner")]
            let whole = try await TestHTTP.stream(gateway.chatURL, body: body, headers: owner)
            let second = try #require(whole.events.dropFirst().first?.id)

            let other = try await TestHTTP.stream(gateway.chatURL, body: body, headers: [("Authorization", "Bearer sk-other"), ("Last-Event-ID", second)])
            #expect(other.sawDone)
            let otherIDs = other.events.compactMap { $0.id.flatMap(EventID.init(parsing:)) }
            #expect(otherIDs.first?.sequence == 0, "another key starts a fresh stream")
            #expect(otherIDs.first?.streamID != EventID(parsing: second)?.streamID)

            let resumed = try await TestHTTP.stream(gateway.chatURL, body: body, headers: owner + [("Last-Event-ID", second)])
            #expect(resumed.events == Array(whole.events.dropFirst(2)))
            #expect(gateway.server.metrics.exposition().contains("yard_streams_resumed_total 1"))
        }
    }
}
