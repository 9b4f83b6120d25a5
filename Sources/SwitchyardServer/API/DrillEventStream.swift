import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import SwitchyardCore
import SwitchyardRuntime

/// `GET /v1/drills/runs/{id}/events`: a drill run as Server-Sent Events, what the runner's own live view shows.
///
/// Each step of the run is one `event: step` (a `DrillStep`), each second of traffic one `event: second` (a
/// `DrillSecond` with `faulted`), each with `id: STEPS.SECONDS`, the `DrillRunFeed.Cursor` after it; once the run is
/// finished, one `event: end` with the run and its report (as `GET /v1/drills/runs/{id}`), and the stream closes.
/// The events come from the report the runner keeps in the store at every step and second, so a run driven by this
/// daemon or by a `yard drill run` elsewhere shows up alike. A client that lost the stream reconnects with
/// `Last-Event-ID` and gets what it missed. A `: ping` comment goes out whenever the stream has been quiet for
/// `pingInterval`; the stream ends early (without `end`) when the daemon shuts down gracefully.
struct DrillEventStream: Sendable {
    let run: String
    let store: any StateStore
    let after: DrillRunFeed.Cursor
    var pollInterval: Duration = .milliseconds(250)
    var pingInterval: Duration = .seconds(10)

    static let stepEvent = "step"
    static let secondEvent = "second"
    static let endEvent = "end"

    /// A second of traffic as the stream carries it.
    struct SecondView: Codable, Sendable {
        var second: Int, sent: Int, succeeded: Int, failed: Int, streamsOpened: Int, streamsCut: Int, p99: Double
        var faulted: Bool

        init(_ second: DrillSecond, faulted: Bool) {
            self.second = second.second; sent = second.sent; succeeded = second.succeeded; failed = second.failed
            streamsOpened = second.streamsOpened; streamsCut = second.streamsCut; p99 = second.p99
            self.faulted = faulted
        }

        var drillSecond: DrillSecond {
            DrillSecond(second: second, sent: sent, succeeded: succeeded, failed: failed, streamsOpened: streamsOpened, streamsCut: streamsCut, p99: p99)
        }
    }

    /// The stream's response; `done` runs once it ends, however it ends (the client gone included).
    func response(done: @escaping @Sendable () async -> Void = {}) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .yardAccelBuffering: "no"]
        let stream = self
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                try await stream.write(&writer)
            } catch {
                await done()
                throw error
            }
            await done()
        })
    }

    private func write(_ writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        var lastWrite = clock.now
        var cursor = after
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            // A read that fails ends the stream without `end`: the client reconnects from its last id.
            guard let record = try? await store.drillRun(id: run) else { break }
            var frames = ""
            if let report = DrillRunFeed.report(record) {
                for (event, next) in DrillRunFeed.events(in: report, after: cursor) {
                    frames += SSEEncoder.encode(Self.frame(event, id: next))
                    cursor = next
                }
            }
            if record.isFinished {
                frames += SSEEncoder.encode(SSEEvent(event: Self.endEvent, data: ReleaseEventStream.json(DrillRunDetailView(record))))
                try await writer.write(ByteBuffer(string: frames))
                break
            }
            if !frames.isEmpty {
                try await writer.write(ByteBuffer(string: frames))
                lastWrite = clock.now
            } else if clock.now - lastWrite >= pingInterval {
                try await writer.write(ByteBuffer(string: SSEEncoder.comment("ping")))
                lastWrite = clock.now
            }
            try? await Task.sleep(for: pollInterval)
        }
        try await writer.finish(nil)
    }

    static func frame(_ event: DrillRunFeed.Event, id: DrillRunFeed.Cursor) -> SSEEvent {
        switch event {
        case .step(let step): SSEEvent(id: id.description, event: stepEvent, data: ReleaseEventStream.json(step))
        case .second(let second, let faulted): SSEEvent(id: id.description, event: secondEvent, data: ReleaseEventStream.json(SecondView(second, faulted: faulted)))
        }
    }

    /// `Last-Event-ID`: absent means from the start; otherwise `STEPS.SECONDS` as sent in the `id:` of an event.
    static func lastEventID(_ request: Request) throws -> DrillRunFeed.Cursor {
        guard let header = request.headers[.lastEventID]?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return DrillRunFeed.Cursor() }
        guard let cursor = DrillRunFeed.Cursor(parsing: header) else {
            throw APIError.badRequest("Last-Event-ID must be STEPS.SECONDS, as sent in the `id:` of an event (got \(header.debugDescription))")
        }
        return cursor
    }
}
