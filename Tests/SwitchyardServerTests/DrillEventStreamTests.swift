import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardCore
import SwitchyardRuntime
import Testing
@testable import SwitchyardServer

/// `GET /v1/drills/runs/{id}/events` against a daemon and a run written into its store as a runner in another process
/// would: the steps and seconds stored so far, each once with its `STEPS.SECONDS` id, resumed after `Last-Event-ID`,
/// then `end` once the run is finished; and at most `--max-streams-per-token` streams per token.
@Suite(.serialized) struct DrillEventStreamTests {
    static func report(steps: Int, seconds: Int, outcome: DrillOutcome = .error) -> JSONText {
        var report = DrillReport(id: "drill-1", playbook: "drill-zone-outage", topology: "local", faultKind: "zone-outage", faultDescription: "",
                                 startedAt: Date(timeIntervalSince1970: 1_700_000_000), outcome: outcome)
        report.steps = (0..<steps).map { DrillStep(at: Date(timeIntervalSince1970: 1_700_000_000 + Double($0)), step: "step-\($0)", status: "done") }
        report.seconds = (0..<seconds).map { DrillSecond(second: $0, sent: 10, succeeded: 9, failed: 1) }
        report.faultedSeconds = seconds > 1 ? 1...(seconds - 1) : nil
        return try! JSONText(encoding: report)
    }

    /// Reads the stream's frames until `end` or `limit` events.
    static func read(port: Int, token: String, lastEventID: String? = nil, limit: Int = 100) async throws -> (status: Int, events: [SSEEvent]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/drills/runs/drill-1/events")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        guard response.status.code == 200 else { return (Int(response.status.code), []) }
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for try await chunk in response.body {
            for message in parser.feed(chunk.readableBytesView) {
                guard let event = message.event else { continue }
                events.append(event)
                if event.event == "end" || events.count >= limit { return (200, events) }
            }
        }
        return (200, events)
    }

    @Test func aRunsStepsAndSecondsStreamOnceThenEnd() async throws {
        try await DaemonHarness.with(seed: { store in
            _ = try await store.createDrillRun(id: "drill-1", playbook: "drill-zone-outage", status: "observing", now: Date())
            try await store.updateDrillRun(id: "drill-1", status: "observing", report: Self.report(steps: 2, seconds: 3), finished: false, fences: [], now: Date())
        }) { yardd in
            let token = yardd.tokens[.viewer]!
            let first = try await Self.read(port: yardd.port, token: token, limit: 5)
            #expect(first.events.map(\.event) == ["step", "step", "second", "second", "second"])
            #expect(first.events.map(\.id) == ["1.0", "2.0", "2.1", "2.2", "2.3"])
            let second = try JSONDecoder().decode(DrillEventStream.SecondView.self, from: Data(first.events[3].data.utf8))
            #expect(second.second == 1 && second.faulted && second.failed == 1)

            // The runner goes on, then finishes: a viewer resuming after 2.2 gets the rest once, then the end.
            let store = yardd.daemon.store
            try await store.updateDrillRun(id: "drill-1", status: "aborted", report: Self.report(steps: 3, seconds: 4, outcome: .aborted),
                                           finished: true, fences: [], now: Date())
            let rest = try await Self.read(port: yardd.port, token: token, lastEventID: "2.2")
            #expect(rest.events.map(\.event) == ["step", "second", "second", "end"])
            // `end` sends no id of its own: a parser keeps the last one, as the SSE spec says.
            #expect(rest.events.map(\.id) == ["3.2", "3.3", "3.4", "3.4"])
            let end = try YarddClient.decoder.decode(DrillRunDetailView.self, from: Data(rest.events[3].data.utf8))
            #expect(end.run.status == "aborted" && end.run.outcome == "aborted")
            #expect(end.drillReport?.steps.count == 3)

            var request = HTTPClientRequest(url: "http://127.0.0.1:\(yardd.port)/v1/drills/runs/drill-1/events")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Last-Event-ID", value: "7")
            #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(5)).status.code == 400)
        }
    }

    @Test func aTokenHoldsAtMostItsAllowanceOfDrillStreams() async throws {
        let allowance = StreamAllowance(limit: 2)
        try await allowance.take("ci")
        try await allowance.take("ci")
        await #expect(throws: ReleaseJournalFeed.TooMany.self) { try await allowance.take("ci") }
        try await allowance.take("other")
        await allowance.give("ci")
        try await allowance.take("ci")
        #expect(await allowance.count == 3)

        try await DaemonHarness.with(seed: { store in
            _ = try await store.createDrillRun(id: "drill-1", playbook: "drill-zone-outage", status: "observing", now: Date())
        }, configure: { $0.maxStreamsPerToken = 1 }) { yardd in
            let token = yardd.tokens[.viewer]!
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(yardd.port)/v1/drills/runs/drill-1/events")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let held = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            #expect(held.status.code == 200)
            let refused = try await yardd.get("/v1/drills/runs/drill-1/events", as: .role(.viewer))
            #expect(refused.status == 429)
            #expect(refused.errorCode == "too-many-streams")
            // Another token is not held back by this one's streams.
            var other = HTTPClientRequest(url: "http://127.0.0.1:\(yardd.port)/v1/drills/runs/drill-1/events")
            other.headers.add(name: "Authorization", value: "Bearer \(yardd.tokens[.operator]!)")
            #expect(try await HTTPClient.shared.execute(other, timeout: .seconds(5)).status.code == 200)
        }
    }
}
