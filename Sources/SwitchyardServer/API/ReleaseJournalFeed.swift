import Foundation
import SwitchyardRuntime

/// One poller per followed release, fanned out to every viewer of its event stream.
///
/// However many clients follow a release, the store is read once per `pollInterval` for it, and only for the entries
/// after the last one seen. The feed keeps the entries it has read, so a viewer that joins (or reconnects with
/// `Last-Event-ID`) gets its backlog from memory. A release nobody follows has no poller; the last viewer to leave
/// stops it. Each token may follow at most `maxPerToken` streams at once.
actor ReleaseJournalFeed {
    enum Item: Sendable {
        /// Entries the viewer has not had, by sequence.
        case entries([JournalEntry])
        /// The release is over: its final state, with the service's routing (as `GET /v1/releases/{id}`). Nothing follows.
        case end(ReleaseView)
        /// One poll went by with nothing new (viewers time their keep-alive pings on it).
        case tick
    }

    struct TooMany: Error { var token: String; var limit: Int }

    private struct Viewer {
        var token: String
        var cursor: Int
        var continuation: AsyncStream<Item>.Continuation
    }

    private struct Follow {
        var entries: [JournalEntry] = []
        var loaded = false
        var viewers: [UUID: Viewer] = [:]
        var poller: Task<Void, Never>?
        var last: Int { entries.last?.sequence ?? 0 }
    }

    let store: any StateStore
    let pollInterval: Duration
    let maxPerToken: Int
    private var follows: [String: Follow] = [:]
    /// Store reads made by pollers since start: what the fan-out saves is visible in tests.
    private(set) var reads = 0

    init(store: any StateStore, pollInterval: Duration = .milliseconds(150), maxPerToken: Int = 256) {
        self.store = store
        self.pollInterval = pollInterval
        self.maxPerToken = maxPerToken
    }

    /// Follows `release` from after sequence `after`, counted against `token`'s streams.
    func subscribe(release: String, after: Int, token: String) throws(TooMany) -> AsyncStream<Item> {
        let open = follows.values.reduce(0) { $0 + $1.viewers.values.filter { $0.token == token }.count }
        guard open < maxPerToken else { throw TooMany(token: token, limit: maxPerToken) }
        let (stream, continuation) = AsyncStream.makeStream(of: Item.self, bufferingPolicy: .unbounded)
        let id = UUID()
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribe(release: release, viewer: id) }
        }
        var follow = follows[release] ?? Follow()
        var viewer = Viewer(token: token, cursor: after, continuation: continuation)
        if follow.loaded { Self.deliver(follow.entries, to: &viewer) }
        follow.viewers[id] = viewer
        if follow.poller == nil { follow.poller = Task { [weak self] in await self?.poll(release) } }
        follows[release] = follow
        return stream
    }

    /// Streams open now, all releases together.
    var viewerCount: Int { follows.values.reduce(0) { $0 + $1.viewers.count } }

    private func unsubscribe(release: String, viewer: UUID) {
        guard var follow = follows[release] else { return }
        follow.viewers[viewer] = nil
        if follow.viewers.isEmpty {
            follow.poller?.cancel()
            follows[release] = nil
        } else {
            follows[release] = follow
        }
    }

    private func poll(_ release: String) async {
        while !Task.isCancelled, let after = follows[release]?.last {
            reads += 1
            let record: ReleaseRecord?, fresh: [JournalEntry]
            do {
                // The record first, then the journal: when the record says finished, the journal read after it
                // holds every entry, the last one included.
                record = try await store.release(id: release)
                fresh = try await store.journal(release: release, after: after)
            } catch {
                close(release, with: nil)
                return
            }
            guard let record else { close(release, with: nil); return }
            publish(release, fresh)
            if record.isFinished {
                close(release, with: ReleaseView(record, routing: try? await store.routing(service: record.service)))
                return
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    private func publish(_ release: String, _ fresh: [JournalEntry]) {
        guard var follow = follows[release] else { return }
        follow.entries += fresh
        follow.loaded = true
        for id in follow.viewers.keys {
            if fresh.isEmpty { follow.viewers[id]!.continuation.yield(.tick) } else { Self.deliver(follow.entries, to: &follow.viewers[id]!) }
        }
        follows[release] = follow
    }

    /// Ends every viewer of `release`, with the final record when it is over (nil: the release is gone or the store failed).
    private func close(_ release: String, with record: ReleaseView?) {
        guard let follow = follows.removeValue(forKey: release) else { return }
        for viewer in follow.viewers.values {
            if let record { viewer.continuation.yield(.end(record)) }
            viewer.continuation.finish()
        }
    }

    private static func deliver(_ entries: [JournalEntry], to viewer: inout Viewer) {
        let cursor = viewer.cursor
        let unseen = entries.filter { $0.sequence > cursor }
        guard let last = unseen.last else { return }
        viewer.continuation.yield(.entries(unseen))
        viewer.cursor = last.sequence
    }
}
