import Foundation
import SwitchyardCore

extension GateProber {
    /// N concurrent streams through the listener. Fails when a first event is late, a stream does
    /// not end with `[DONE]` in time, or an event is not a well-formed chunk; an error when the
    /// listener cannot be reached. The value is the slowest first event, in seconds.
    func measureSSE(_ check: SSECheck, target: ProbeTarget) async -> GateMeasurement {
        let headers: [(name: String, value: String)] = self.headers.map { ($0.key, $0.value) }
        let stream = CompletionStream(
            url: target.url(target.listener, check.path),
            body: ChatCompletionRequest(model: "yard-gate", messages: [ChatMessage(role: "user", content: "gate")], stream: true, maxTokens: sseTokens),
            headers: headers, firstEventWithin: check.firstEventWithin.duration, timeout: check.timeout.duration
        )
        let client = self.client
        let count = max(1, check.streams)
        let outcomes = await withTaskGroup(of: CompletionStreamOutcome.self) { group in
            for _ in 0..<count { group.addTask { await stream.run(client: client) } }
            var all: [CompletionStreamOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let slowest = outcomes.compactMap(\.firstEvent).max()
        var unreachable: [String] = []
        var problems: [String: Int] = [:]
        for outcome in outcomes {
            switch outcome.end {
            case .done: break
            case .unreachable(let reason): unreachable.append(reason)
            case .rejected(let status): problems["answered \(status)", default: 0] += 1
            case .cut(let reason): problems["cut: \(reason)", default: 0] += 1
            case .malformed(let reason): problems["malformed event: \(reason)", default: 0] += 1
            case .timedOut(let reason): problems[reason, default: 0] += 1
            case .cancelled: problems["cancelled", default: 0] += 1
            }
        }
        let listener = "listener \(target.listener)"
        if !unreachable.isEmpty {
            return .error("\(listener) unreachable for \(unreachable.count) of \(count) streams: \(unreachable[0])")
        }
        if !problems.isEmpty {
            let list = problems.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
            return .fail(slowest?.seconds, "\(count - problems.values.reduce(0, +)) of \(count) streams through \(listener) completed; \(list)")
        }
        // The stream's own timer may let a late first event through when the head itself came late.
        if let slowest, slowest > check.firstEventWithin.duration {
            let late = outcomes.compactMap(\.firstEvent).filter { $0 > check.firstEventWithin.duration }.count
            return .fail(slowest.seconds, "\(late) of \(count) streams through \(listener) had no event within \(check.firstEventWithin) (slowest \(TimeSpan(milliseconds: Int64((slowest.seconds * 1000).rounded()))))")
        }
        let shown = slowest.map { " first event ≤ \(TimeSpan(milliseconds: Int64(($0.seconds * 1000).rounded())))" } ?? ""
        return .pass(slowest?.seconds, "\(count) of \(count) streams through \(listener) ended with [DONE],\(shown) (bound \(check.firstEventWithin))")
    }
}
