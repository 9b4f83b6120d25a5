import HTTPTypes
import Hummingbird
import SwitchyardCore

/// Writes one SSE stream: the replayed frames of a resumed stream, then the plan's events paced
/// by the token delay, with `: ping` comment lines (`SSEHeartbeat`) whenever the stream has been quiet for the ping
/// interval. It keeps the drain counts and the metrics, and honours the stream faults.
struct StreamResponder: Sendable {
    let gateway: GatewayContext
    let plan: StreamPlan
    let startSequence: Int
    let replay: [String]
    var resumed = false

    struct Cut: Error {}

    func response() -> Response {
        let headers: HTTPFields = [
            .contentType: "text/event-stream",
            .cacheControl: "no-cache",
            .accelBuffering: "no",
        ]
        let responder = self
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await responder.write(&writer)
        })
    }

    private func write(_ writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        let requestStart = clock.now
        let faults = gateway.configuration.faults
        let ping = gateway.configuration.pingInterval.duration
        gateway.drain.streamOpened()
        gateway.metrics.streamOpened()
        var end = DrainState.StreamEnd.abandoned
        defer {
            gateway.drain.streamClosed(end)
            gateway.metrics.streamClosed(end)
        }
        var lastWrite = clock.now
        var sent = 0
        var malformedSent = false

        func send(_ frame: String) async throws {
            try await writer.write(ByteBuffer(string: frame))
            lastWrite = clock.now
        }

        /// Waits until `due`, pinging when quiet; false when the drain cuts the stream.
        func wait(until due: ContinuousClock.Instant) async throws -> Bool {
            while true {
                if gateway.drain.isCutting { return false }
                let now = clock.now
                if now >= due { return true }
                let nextPing = lastWrite + ping
                if now >= nextPing {
                    try await send(SSEHeartbeat.frame)
                    continue
                }
                try await clock.sleep(until: min(due, nextPing, now + .seconds(1)))
            }
        }

        do {
            for frame in replay {
                try await send(frame)
                sent += 1
            }
            var due = clock.now
            if let latency = faults.firstTokenLatency, startSequence <= 1 {
                due = due + latency.duration
            }
            var sequence = startSequence
            while sequence <= plan.lastSequence {
                if sequence >= 1, sequence <= plan.tokens { due = due + plan.tokenDelay }
                guard try await wait(until: due) else { throw Cut() }
                if let stallAfter = faults.stallAfterEvents, sent >= stallAfter {
                    // The stall fault: silence, no pings, until the drain cuts the stream.
                    while !gateway.drain.isCutting { try await Task.sleep(for: .milliseconds(100)) }
                    throw Cut()
                }
                if let malformedAfter = faults.malformedAfterEvents, sent >= malformedAfter, !malformedSent {
                    malformedSent = true
                    try await send("data: {\"id\":\"\(plan.completionID)\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":\n\n")
                }
                let frame = SSEEncoder.encode(plan.event(sequence))
                try await send(frame)
                sent += 1
                gateway.store.record(streamID: plan.streamID, sequence: sequence, frame: frame, finished: sequence == plan.lastSequence)
                if !resumed, plan.isFirstToken(sequence) {
                    gateway.metrics.recordTimeToFirstToken(clock.now - requestStart)
                }
                sequence += 1
            }
            end = .completed
            try await writer.finish(nil)
        } catch let error as Cut {
            end = .cut
            throw error
        }
    }
}
