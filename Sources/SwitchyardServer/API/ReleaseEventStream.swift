import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SwitchyardCore
import SwitchyardRuntime

/// `GET /v1/releases/{id}/events`: a release's journal as Server-Sent Events.
///
/// Each journal entry after `after` is one `event: journal` with `id: <sequence>` and the entry's JSON (as in
/// `/journal`); once the release is over, one `event: end` with the release's JSON (as `GET /v1/releases/{id}`, routing included), and the stream closes.
/// Entries come from the daemon's `ReleaseJournalFeed`, which polls the store once for all viewers of a release, so
/// entries written by a runner in this process or another show up alike; a `: ping` comment goes out whenever the
/// stream has been quiet for `pingInterval`. A client that lost the stream reconnects with `Last-Event-ID` and gets
/// what it missed, without duplicates.
///
/// The stream ends early (without `end`) when the daemon shuts down gracefully; the client reconnects.
struct ReleaseEventStream: Sendable {
    let items: AsyncStream<ReleaseJournalFeed.Item>
    var pingInterval: Duration = .seconds(10)

    static let journalEvent = "journal"
    static let endEvent = "end"

    func response() -> Response {
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            .cacheControl: "no-cache",
            .yardAccelBuffering: "no",
        ]
        let stream = self
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await stream.write(&writer)
        })
    }

    private func write(_ writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        var lastWrite = clock.now
        for await item in items {
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            switch item {
            case .entries(let entries):
                var frames = ""
                for entry in entries {
                    frames += SSEEncoder.encode(SSEEvent(id: String(entry.sequence), event: Self.journalEvent, data: Self.json(JournalEntryView(entry))))
                }
                try await writer.write(ByteBuffer(string: frames))
                lastWrite = clock.now
            case .end(let release):
                try await writer.write(ByteBuffer(string: SSEEncoder.encode(SSEEvent(event: Self.endEvent, data: Self.json(release)))))
            case .tick:
                guard clock.now - lastWrite >= pingInterval else { continue }
                try await writer.write(ByteBuffer(string: SSEEncoder.comment("ping")))
                lastWrite = clock.now
            }
        }
        try await writer.finish(nil)
    }

    static func json(_ value: some Encodable) -> String {
        (try? JSONResponse.encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `Last-Event-ID`: absent means from the start; otherwise a journal sequence (≥ 0).
    static func lastEventID(_ request: Request) throws -> Int {
        guard let header = request.headers[.lastEventID]?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return 0 }
        guard let value = Int(header), value >= 0 else {
            throw APIError.badRequest("Last-Event-ID must be a journal sequence number, as sent in the `id:` of an event (got \(header.debugDescription))")
        }
        return value
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    /// Tells nginx (and proxies that honour it) not to buffer the stream.
    static let yardAccelBuffering = Self("X-Accel-Buffering")!
}
