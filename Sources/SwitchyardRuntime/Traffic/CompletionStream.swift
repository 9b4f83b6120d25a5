import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// How one streamed completion went, as a client saw it.
public struct CompletionStreamOutcome: Sendable, Hashable {
    public enum End: Sendable, Hashable {
        /// The last event was `[DONE]`.
        case done
        /// The answer was not 200 (no stream opened).
        case rejected(status: Int)
        /// The connection could not be made or the request failed before an answer.
        case unreachable(String)
        /// The body ended, or broke, before `[DONE]`.
        case cut(String)
        /// An event was not a well-formed chunk (its data is in the reason).
        case malformed(String)
        /// No event within the first-event bound, or the stream outlasted its timeout.
        case timedOut(String)
        /// The caller cancelled (the generator was stopped): neither success nor failure.
        case cancelled
    }

    public var end: End
    public var status: Int?
    public var slot: String?
    public var version: String?
    /// From sending the request to the first SSE event (any event).
    public var firstEvent: Duration?
    /// From sending the request to the first event carrying content (the first token).
    public var firstToken: Duration?
    public var events: Int
    public var elapsed: Duration

    public var completed: Bool { end == .done }
}

/// Streams one completion (`stream: true`) and checks each event: a JSON chunk of
/// `object: "chat.completion.chunk"`, or the `[DONE]` marker, which must come last.
public struct CompletionStream: Sendable {
    public var url: String
    public var body: ChatCompletionRequest
    public var headers: [(name: String, value: String)]
    /// Longest wait for the first event (nil: only `timeout` bounds it).
    public var firstEventWithin: Duration?
    /// Longest the whole stream may run (nil: unbounded).
    public var timeout: Duration?
    /// Longest quiet time between two messages (pings count) before the stream counts as cut (nil: unbounded).
    public var idleTimeout: Duration?

    public init(url: String, body: ChatCompletionRequest, headers: [(name: String, value: String)] = [],
                firstEventWithin: Duration? = nil, timeout: Duration? = nil, idleTimeout: Duration? = nil) {
        self.url = url
        self.body = body
        self.headers = headers
        self.firstEventWithin = firstEventWithin
        self.timeout = timeout
        self.idleTimeout = idleTimeout
    }

    /// Runs the stream. `onHead` is called once the answer's head arrived (status, slot, version);
    /// `onFirstToken` once the first token arrived.
    public func run(
        client: HTTPClient,
        onHead: @Sendable (Int, String?, String?) async -> Void = { _, _, _ in },
        onFirstToken: @escaping @Sendable (Duration) async -> Void = { _ in }
    ) async -> CompletionStreamOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome = CompletionStreamOutcome(end: .cancelled, events: 0, elapsed: .zero)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        let headDeadline = [firstEventWithin, timeout].compactMap { $0 }.min() ?? .seconds(3600)

        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(headDeadline.nanosecondsClamped))
        } catch {
            outcome.elapsed = clock.now - start
            if Task.isCancelled { return outcome }
            if let error = error as? HTTPClientError, error == .deadlineExceeded {
                outcome.end = .timedOut("no answer within \(headDeadline.shown)")
            } else {
                outcome.end = .unreachable(describe(error))
            }
            return outcome
        }
        outcome.status = Int(response.status.code)
        outcome.slot = response.headers.first(name: "X-Yard-Slot")
        outcome.version = response.headers.first(name: "X-Yard-Version")
        await onHead(Int(response.status.code), outcome.slot, outcome.version)
        guard response.status == .ok else {
            _ = try? await response.body.collect(upTo: 1 << 20)
            outcome.end = .rejected(status: Int(response.status.code))
            outcome.elapsed = clock.now - start
            return outcome
        }

        // The body is read in a child task raced against the deadlines; cancelling it closes the connection.
        let progress = StreamProgress()
        let reader = BodyReader(response: response, start: start, progress: progress, onFirstToken: onFirstToken)
        let end: CompletionStreamOutcome.End = await withTaskGroup(of: CompletionStreamOutcome.End?.self) { group in
            group.addTask { await reader.read() }
            group.addTask {
                await Self.watch(progress: progress, start: start, firstEventWithin: firstEventWithin, timeout: timeout, idleTimeout: idleTimeout)
            }
            var result: CompletionStreamOutcome.End = .cancelled
            for await value in group {
                if let value { result = value; break }
            }
            group.cancelAll()
            return result
        }
        let state = await progress.state
        outcome.end = Task.isCancelled && end != .done ? .cancelled : end
        outcome.events = state.events
        outcome.firstEvent = state.firstEvent
        outcome.firstToken = state.firstToken
        outcome.elapsed = clock.now - start
        return outcome
    }

    /// Returns a timed-out end when a bound passes; nil when cancelled (the reader finished first).
    private static func watch(progress: StreamProgress, start: ContinuousClock.Instant, firstEventWithin: Duration?,
                              timeout: Duration?, idleTimeout: Duration?) async -> CompletionStreamOutcome.End? {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let state = await progress.state
            let now = clock.now
            var wake = now + .seconds(1)
            if let firstEventWithin, state.firstEvent == nil {
                if now - start > firstEventWithin { return .timedOut("no event within \(firstEventWithin.shown)") }
                wake = min(wake, start + firstEventWithin)
            }
            if let timeout {
                if now - start > timeout { return .timedOut("no [DONE] within \(timeout.shown)") }
                wake = min(wake, start + timeout)
            }
            if let idleTimeout {
                let quietSince = state.lastMessage(or: start)
                if now - quietSince > idleTimeout { return .cut("quiet for \(idleTimeout.shown) (no event, no ping)") }
                wake = min(wake, quietSince + idleTimeout)
            }
            try? await clock.sleep(until: wake + .milliseconds(1))
        }
        return nil
    }
}

/// What the reader has seen so far, for the watchdog.
actor StreamProgress {
    struct State: Sendable {
        var events = 0
        var firstEvent: Duration?
        var firstToken: Duration?
        var lastMessageAt: ContinuousClock.Instant?

        func lastMessage(or start: ContinuousClock.Instant) -> ContinuousClock.Instant { lastMessageAt ?? start }
    }

    private(set) var state = State()

    func message(at instant: ContinuousClock.Instant, event: Bool, since start: ContinuousClock.Instant, token: Bool) {
        state.lastMessageAt = instant
        guard event else { return }
        state.events += 1
        if state.firstEvent == nil { state.firstEvent = instant - start }
        if token, state.firstToken == nil { state.firstToken = instant - start }
    }
}

private struct BodyReader: Sendable {
    let response: HTTPClientResponse
    let start: ContinuousClock.Instant
    let progress: StreamProgress
    let onFirstToken: @Sendable (Duration) async -> Void

    func read() async -> CompletionStreamOutcome.End? {
        var parser = SSEParser()
        var sawDone = false
        var tokenSeen = false
        let decoder = JSONDecoder()
        do {
            for try await buffer in response.body {
                let now = ContinuousClock.now
                for message in parser.feed(buffer.readableBytesView) {
                    guard let event = message.event else {
                        await progress.message(at: now, event: false, since: start, token: false)
                        continue
                    }
                    if sawDone { return .malformed("an event after [DONE]: \(event.data.prefix(80))") }
                    if event.data == "[DONE]" {
                        sawDone = true
                        await progress.message(at: now, event: true, since: start, token: false)
                        continue
                    }
                    guard let chunk = try? decoder.decode(ChatCompletionChunk.self, from: Data(event.data.utf8)),
                          chunk.object == "chat.completion.chunk" else {
                        return .malformed("not a chat.completion.chunk: \(event.data.prefix(80))")
                    }
                    let token = chunk.choices.contains { !($0.delta.content ?? "").isEmpty }
                    await progress.message(at: now, event: true, since: start, token: token && !tokenSeen)
                    if token, !tokenSeen {
                        tokenSeen = true
                        await onFirstToken(now - start)
                    }
                }
            }
        } catch {
            if Task.isCancelled { return nil }
            return sawDone ? .done : .cut("connection broke mid-stream: \(describe(error))")
        }
        if Task.isCancelled { return nil }
        return sawDone ? .done : .cut("the body ended without [DONE]")
    }
}

/// A short reason for a transport error.
func describe(_ error: any Error) -> String {
    if let error = error as? HTTPClientError { return "\(error)" }
    return String(describing: error).prefix(200).description
}

extension Duration {
    /// Nanoseconds, clamped to what an Int64 holds.
    var nanosecondsClamped: Int64 {
        let parts = components
        let (high, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        return high.addingReportingOverflow(parts.attoseconds / 1_000_000_000).overflow ? .max : high + parts.attoseconds / 1_000_000_000
    }

    /// As a manifest writes it: `200ms`, `30s`.
    var shown: String { TimeSpan(milliseconds: Int64((seconds * 1000).rounded())).description }
}
