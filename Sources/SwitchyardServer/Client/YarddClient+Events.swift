import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import SwitchyardCore

/// What the release event stream carries.
public enum ReleaseStreamEvent: Sendable {
    /// One journal entry; its `sequence` is the event's id.
    case journal(JournalEntryView)
    /// The release is over: its final state. The stream closes after it.
    case end(ReleaseView)
}

extension YarddClient {
    /// How one connection to the event stream ended.
    public enum StreamOutcome: Sendable {
        case ended(ReleaseView)
        /// The server closed the stream (or the connection broke) before `end`; reconnect with the last id.
        case closed(reason: String)
        /// `onEvent` asked to stop.
        case stopped
    }

    /// Opens `path` as an event stream, resuming after `lastEventID` when given: the response, once it answered 200.
    func openEventStream(_ path: String, lastEventID: String?) async throws(Failure) -> HTTPClientResponse {
        var request = makeRequest(path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, deadline: .distantFuture) } catch {
            throw .unreachable(server: server, reason: Self.reason(error))
        }
        guard response.status.code == 200 else {
            let data = (try? await response.body.collect(upTo: 1 << 20)).map { Data(buffer: $0) } ?? Data()
            throw failure(status: Int(response.status.code), data: data)
        }
        return response
    }

    /// Reads `GET /v1/releases/{id}/events` once, sending `Last-Event-ID: after` when it is above 0; calls
    /// `onEvent` for each event until `end`, the connection closing, or `onEvent` returning false.
    public func streamEvents(release id: String, after: Int,
                             onEvent: (ReleaseStreamEvent) async -> Bool) async throws(Failure) -> StreamOutcome {
        let response = try await openEventStream("/v1/releases/\(Self.escape(id))/events", lastEventID: after > 0 ? String(after) : nil)
        var parser = SSEParser()
        do {
            for try await chunk in Self.watched(response.body, idle: eventIdleTimeout) {
                for message in parser.feed(chunk.readableBytesView) {
                    guard let event = message.event else { continue }
                    let data = Data(event.data.utf8)
                    switch event.event {
                    case "journal":
                        guard let entry = try? Self.decoder.decode(JournalEntryView.self, from: data) else {
                            throw Failure.unexpected(server: server, status: 200, what: "a journal event that is not a journal entry: \(event.data.prefix(300))")
                        }
                        if !(await onEvent(.journal(entry))) { return .stopped }
                    case "end":
                        guard let release = try? Self.decoder.decode(ReleaseView.self, from: data) else {
                            throw Failure.unexpected(server: server, status: 200, what: "an end event that is not a release: \(event.data.prefix(300))")
                        }
                        _ = await onEvent(.end(release))
                        return .ended(release)
                    default:
                        continue
                    }
                }
            }
            return .closed(reason: "the server closed the stream")
        } catch let failure as Failure {
            throw failure
        } catch {
            return .closed(reason: (error as? Idle)?.description ?? Self.reason(error))
        }
    }

    /// The body's chunks, failing with `Idle` when nothing (not even a `: ping`) arrives for `idle`: a connection
    /// that went half-open (a peer gone without a word) is then dropped and the caller reconnects.
    static func watched(_ body: HTTPClientResponse.Body, idle: Duration) -> AsyncThrowingStream<ByteBuffer, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let clock = ContinuousClock()
        let lastChunk = LastActivity(clock.now)
        let reader = Task {
            do {
                for try await chunk in body {
                    lastChunk.touch(clock.now)
                    continuation.yield(chunk)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if clock.now - lastChunk.value > idle {
                    continuation.finish(throwing: Idle(after: idle))
                    reader.cancel()
                    return
                }
            }
        }
        continuation.onTermination = { _ in
            reader.cancel()
            watchdog.cancel()
        }
        return stream
    }

    struct Idle: Error, CustomStringConvertible {
        var after: Duration
        var description: String { "nothing received for \(after), not even a keep-alive ping" }
    }

    /// Follows a release's events to its end, reconnecting with `Last-Event-ID` when the connection drops
    /// (a restarted daemon, say), so every journal entry after `after` arrives once, in order. Gives up when
    /// no connection succeeds for `reconnectWindow`. `onReconnect` hears why and from which id it resumes.
    public func follow(release id: String, after: Int = 0, reconnectWindow: Duration = .seconds(60), retryDelay: Duration = .milliseconds(500),
                       onEvent: (ReleaseStreamEvent) async -> Void,
                       onReconnect: (_ reason: String, _ lastEventID: Int) async -> Void = { _, _ in }) async throws(Failure) -> ReleaseView {
        var last = after
        return try await reconnecting(id, window: reconnectWindow, retryDelay: retryDelay, attempt: { received throws(Failure) in
            let outcome = try await streamEvents(release: id, after: last) { event in
                received()
                if case .journal(let entry) = event {
                    // The server sends only what follows Last-Event-ID; never show an entry twice anyway.
                    guard entry.sequence > last else { return true }
                    last = entry.sequence
                }
                await onEvent(event)
                return true
            }
            switch outcome {
            case .ended(let release): return .ended(release)
            case .closed(let why): return .closed(why)
            case .stopped: return .closed("stopped")
            }
        }, onReconnect: { reason in await onReconnect(reason, last) })
    }
}

/// When the last chunk of a stream arrived, shared by its reader and its watchdog.
private final class LastActivity: Sendable {
    private let instant: Mutex<ContinuousClock.Instant>
    init(_ now: ContinuousClock.Instant) { instant = Mutex(now) }
    func touch(_ now: ContinuousClock.Instant) { instant.withLock { $0 = now } }
    var value: ContinuousClock.Instant { instant.withLock { $0 } }
}
