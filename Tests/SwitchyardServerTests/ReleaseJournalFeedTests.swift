import AsyncHTTPClient
import Foundation
import Testing
import SwitchyardRuntime
@testable import SwitchyardServer

/// Many viewers of one release cost one poller: the store is read once per poll however many follow it, each viewer
/// gets every entry once from where it started, and a token may hold only so many streams.
@Suite(.serialized) struct ReleaseJournalFeedTests {
    @Test func oneStoreReadPerPollForAHundredViewers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStateStore(path: folder.appendingPathComponent("state.sqlite").path)
        try await Seed.release(store, id: "rel-1")
        let feed = ReleaseJournalFeed(store: store, pollInterval: .milliseconds(20), maxPerToken: 1000)
        var streams: [AsyncStream<ReleaseJournalFeed.Item>] = []
        for index in 0..<100 { streams.append(try await feed.subscribe(release: "rel-1", after: index % 2, token: "viewer")) }
        #expect(await feed.viewerCount == 100)
        try await store.appendJournal(release: "rel-1", [.note("two"), .note("three")], now: Date())
        try await Task.sleep(for: .milliseconds(300))
        let reads = await feed.reads
        // About 300 ms / 20 ms polls; never one read per viewer per poll.
        #expect(reads >= 3 && reads <= 40, "\(reads) polls")
        var received: [[Int]] = []
        for (index, stream) in streams.enumerated() {
            var sequences: [Int] = []
            for await item in stream {
                if case .entries(let entries) = item { sequences += entries.map(\.sequence) }
                if sequences.last == 3 { break }
            }
            received.append(sequences)
            #expect(sequences == (index % 2 == 0 ? [1, 2, 3] : [2, 3]), "viewer \(index): \(sequences)")
        }
        #expect(received.count == 100)
        streams.removeAll()
        // Viewers gone, the poller stops.
        try await Task.sleep(for: .milliseconds(200))
        #expect(await feed.viewerCount == 0)
        let after = await feed.reads
        try await Task.sleep(for: .milliseconds(200))
        #expect(await feed.reads == after, "no poller runs for a release nobody follows")
    }

    @Test func aTokenHoldsAtMostItsShareOfStreams() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }, configure: { $0.maxStreamsPerToken = 2 }) { yardd in
            let first = try await yardd.openStream("/v1/releases/rel-1/events", as: .viewer)
            let second = try await yardd.openStream("/v1/releases/rel-1/events", as: .viewer)
            let third = try await yardd.head("/v1/releases/rel-1/events", as: .role(.viewer))
            #expect(third.status == 429, "\(third.json)")
            #expect(third.errorCode == "too-many-streams")
            // Another token is counted on its own.
            let other = try await yardd.head("/v1/releases/rel-1/events", as: .role(.operator))
            #expect(other.status == 200)
            _ = (first, second)
        }
    }
}
