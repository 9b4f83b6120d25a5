import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import SwitchyardCore

/// Drives a target with open-loop non-stream requests and a fixed number of SSE streams, and
/// records what came back: counts by status, latency and time-to-first-token percentiles,
/// streams completed and cut, and which slot and version answered when.
///
/// Either structured, `let report = await generator.run(for: .seconds(30))`, or around other work:
/// `generator.start()`, …, `let report = await generator.stop()`. `snapshot()` reads progress at any time.
/// Requests and streams still open when the run ends are abandoned and counted neither way.
public final class LoadGenerator: Sendable {
    public let configuration: LoadConfiguration
    private let fixedClient: HTTPClient
    private let rotation: ClientRotation?
    private let recorder: LoadRecorder
    private let running = Mutex<Task<LoadReport, Never>?>(nil)

    public init(configuration: LoadConfiguration, client: HTTPClient = YardHTTPClient.shared) {
        self.configuration = configuration
        fixedClient = client
        rotation = nil
        self.recorder = LoadRecorder(target: configuration.baseURL)
    }

    /// Sends through a fresh client every `rotation.period` (see `ClientRotation`): for drills, where the
    /// traffic must see a service come back when it comes back.
    public init(configuration: LoadConfiguration, rotation: ClientRotation) {
        self.configuration = configuration
        fixedClient = YardHTTPClient.shared
        self.rotation = rotation
        self.recorder = LoadRecorder(target: configuration.baseURL)
    }

    /// The client for the next request or stream.
    private var client: HTTPClient { rotation?.current() ?? fixedClient }

    /// Runs for `duration` (or until the calling task is cancelled) and returns the report.
    public func run(for duration: Duration) async -> LoadReport {
        await recorder.begin()
        let deadline = ContinuousClock.now + duration
        let streams = configuration.streams
        await withDiscardingTaskGroup { group in
            // Streams are abandoned at the deadline; non-stream requests in flight then may finish
            // (each is bounded by its timeout), so that every request sent is counted one way or the other.
            group.addTask {
                await withDiscardingTaskGroup { streamGroup in
                    for _ in 0..<streams {
                        streamGroup.addTask { await self.streamLoop(until: deadline) }
                    }
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    streamGroup.cancelAll()
                }
            }
            await self.requestLoop(until: deadline, group: &group)
        }
        return await recorder.finish()
    }

    /// Starts a run in the background, until `stop()` (or `limit`).
    public func start(limit: Duration = .seconds(86_400)) {
        running.withLock { task in
            guard task == nil else { return }
            task = Task { await self.run(for: limit) }
        }
    }

    /// Stops a run begun with `start()` and returns its report.
    public func stop() async -> LoadReport {
        guard let task = running.withLock({ $0 }) else { return await recorder.finish() }
        task.cancel()
        let report = await task.value
        await rotation?.shutdown()
        return report
    }

    /// Nil when the target answers HTTP at all (any status); otherwise why it cannot be reached.
    public func reachability(timeout: Duration = .seconds(3)) async -> String? {
        do {
            _ = try await ProbeHTTP.fetch(client, url: configuration.baseURL + "/", timeout: timeout, bodyLimit: 1 << 20)
            return nil
        } catch {
            return ProbeHTTP.reason(error)
        }
    }

    /// Progress so far.
    public func snapshot() async -> LoadSnapshot { await recorder.snapshot() }

    /// Marks this instant (a fault about to be injected): `servedAgain()` then says how long after it the first
    /// request sent after it was answered 2xx, to a few milliseconds, where the per-second timeline cannot.
    public func markOutage() async { await recorder.markOutage() }

    /// Time from `markOutage()` to the first 2xx answer to a request sent after it; nil before one came.
    public func servedAgain() async -> Duration? { await recorder.servedAgain() }

    // MARK: Requests

    private func requestLoop(until deadline: ContinuousClock.Instant, group: inout DiscardingTaskGroup) async {
        let rate = configuration.requestsPerSecond
        guard rate > 0 else {
            try? await Task.sleep(until: deadline, clock: .continuous)
            return
        }
        let clock = ContinuousClock()
        let start = clock.now
        var sent: Int64 = 0
        let inFlight = InFlightCount()
        while !Task.isCancelled {
            let due = start + .seconds(Double(sent) / rate)
            guard due < deadline else { break }
            if due > clock.now {
                do { try await clock.sleep(until: due) } catch { break }
            }
            sent += 1
            if inFlight.value >= configuration.maxConcurrentRequests {
                await recorder.requestDropped()
                continue
            }
            inFlight.add(1)
            group.addTask {
                await self.oneRequest()
                inFlight.add(-1)
            }
        }
        if !Task.isCancelled { try? await clock.sleep(until: deadline) }
    }

    private func oneRequest() async {
        let body = ChatCompletionRequest(
            model: configuration.model, messages: [ChatMessage(role: "user", content: "load")], stream: false, maxTokens: configuration.requestTokens
        )
        var request = HTTPClientRequest(url: configuration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let delay = configuration.requestTokenDelay { request.headers.add(name: "X-Yard-Token-Delay", value: delay.description) }
        for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        let clock = ContinuousClock()
        let start = clock.now
        let sentAt = await recorder.requestSent()
        do {
            let response = try await client.execute(request, timeout: .milliseconds(configuration.requestTimeout.milliseconds))
            // Latency is to the whole answer: the body is read to its end.
            _ = try await response.body.collect(upTo: 16 << 20)
            await recorder.requestAnswered(
                sentAt: sentAt, status: Int(response.status.code), latency: clock.now - start,
                slot: response.headers.first(name: "X-Yard-Slot"), version: response.headers.first(name: "X-Yard-Version")
            )
        } catch {
            // Stopped while waiting: abandoned, neither success nor failure.
            if Task.isCancelled { await recorder.requestAbandoned(); return }
            await recorder.requestUnreachable()
        }
    }

    // MARK: Streams

    private func streamLoop(until deadline: ContinuousClock.Instant) async {
        var headers: [(name: String, value: String)] = configuration.headers.map { ($0.key, $0.value) }
        if let delay = configuration.streamTokenDelay { headers.append(("X-Yard-Token-Delay", delay.description)) }
        let stream = CompletionStream(
            url: configuration.url,
            body: ChatCompletionRequest(
                model: configuration.model, messages: [ChatMessage(role: "user", content: "stream")], stream: true, maxTokens: configuration.streamTokens
            ),
            headers: headers, idleTimeout: configuration.streamIdleTimeout.duration
        )
        let recorder = self.recorder
        while !Task.isCancelled, ContinuousClock.now < deadline {
            let outcome = await stream.run(
                client: client,
                onHead: { status, slot, version in await recorder.streamAnswered(status: status, slot: slot, version: version) },
                onFirstToken: { ttft in await recorder.streamFirstToken(ttft) }
            )
            await recorder.streamEnded(outcome)
            if !outcome.completed, outcome.end != .cancelled {
                try? await Task.sleep(for: configuration.reopenBackoff.duration)
            }
        }
    }
}

/// The run's tally, shared by every request and stream task; it stamps each event with the time since the start.
actor LoadRecorder {
    private let target: String
    private var tally = LoadTally()
    private var started: ContinuousClock.Instant?
    private var startedAt = Date()
    private var finished: LoadReport?
    private let clock = ContinuousClock()
    private var outageMark: Duration?
    private var firstServedAfterMark: Duration?

    init(target: String) { self.target = target }

    func markOutage() {
        outageMark = now
        firstServedAfterMark = nil
    }

    func servedAgain() -> Duration? {
        guard let outageMark, let firstServedAfterMark else { return nil }
        return firstServedAfterMark - outageMark
    }

    private var now: Duration { started.map { clock.now - $0 } ?? .zero }

    func begin() {
        guard started == nil else { return }
        started = clock.now
        startedAt = Date()
    }

    func finish() -> LoadReport {
        if let finished { return finished }
        let report = tally.report(target: target, startedAt: startedAt, elapsed: now)
        finished = report
        return report
    }

    func snapshot() -> LoadSnapshot { tally.snapshot(elapsed: now) }

    /// Returns when it was sent, since the start.
    func requestSent() -> Duration {
        if finished == nil { tally.requestSent(at: now) }
        return now
    }
    func requestDropped() { if finished == nil { tally.requestDropped(at: now) } }
    func requestAbandoned() { if finished == nil { tally.requestAbandoned() } }
    func requestUnreachable() { if finished == nil { tally.requestUnreachable(at: now) } }
    func requestAnswered(sentAt: Duration, status: Int, latency: Duration, slot: String?, version: String?) {
        if finished == nil { tally.requestAnswered(at: now, status: status, latency: latency, slot: slot, version: version) }
        if let outageMark, firstServedAfterMark == nil, sentAt >= outageMark, (200...299).contains(status) { firstServedAfterMark = now }
    }
    func streamAnswered(status: Int, slot: String?, version: String?) {
        if finished == nil { tally.streamAnswered(at: now, status: status, slot: slot, version: version) }
    }
    func streamFirstToken(_ ttft: Duration) { if finished == nil { tally.streamFirstToken(after: ttft) } }
    func streamEnded(_ outcome: CompletionStreamOutcome) { if finished == nil { tally.streamEnded(at: now, outcome) } }
}

/// Requests in flight, shared by the request loop and the request tasks.
final class InFlightCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add(_ delta: Int) { count.add(delta, ordering: .relaxed) }
}
