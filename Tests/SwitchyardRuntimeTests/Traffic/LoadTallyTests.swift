import Testing
@testable import SwitchyardRuntime

/// The tally is pure: events carry their time since the start, so no clock is needed.
struct LoadTallyTests {
    static func outcome(_ end: CompletionStreamOutcome.End, status: Int? = 200) -> CompletionStreamOutcome {
        CompletionStreamOutcome(end: end, status: status, events: 3, elapsed: .seconds(1))
    }

    @Test func slotSightingsMarkWhenASwitchCompleted() throws {
        var tally = LoadTally()
        for tenth in 0..<30 {
            let at = Duration.milliseconds(tenth * 100)
            tally.requestSent(at: at)
            // Blue answers until 1.45 s, green from 1.3 s: the overlap of an nginx reload.
            let slot = tenth < 13 ? "blue" : tenth > 14 ? "green" : (tenth % 2 == 0 ? "blue" : "green")
            tally.requestAnswered(at: at + .milliseconds(5), status: 200, latency: .milliseconds(5), slot: slot, version: slot == "blue" ? "1.0" : "1.1")
        }
        let report = tally.report(target: "t", startedAt: .init(timeIntervalSince1970: 0), elapsed: .seconds(3))
        #expect(report.slots.map(\.slot) == ["blue", "green"])
        let blue = try #require(report.sighting(slot: "blue"))
        let green = try #require(report.sighting(slot: "green"))
        #expect(abs(blue.lastAnswer - 1.405) < 1e-9)
        #expect(abs(green.firstAnswer - 1.305) < 1e-9)
        #expect(blue.answers + green.answers == 30)
        #expect(report.timeline.map { $0.slots["blue"] ?? 0 } == [10, 4, 0])
        #expect(report.timeline.map(\.sent) == [10, 10, 10])
        #expect(abs(report.latency.p99 - 0.005) < 0.00001)
        #expect(report.isClean)
    }

    @Test func streamEndsAreClassified() {
        var tally = LoadTally()
        for second in 0..<4 {
            tally.streamAnswered(at: .seconds(second), status: 200, slot: "blue", version: "1")
        }
        tally.streamAnswered(at: .seconds(1), status: 503, slot: "blue", version: "1")
        tally.streamEnded(at: .milliseconds(1500), Self.outcome(.done))
        tally.streamEnded(at: .milliseconds(2500), Self.outcome(.cut("connection broke mid-stream: reset")))
        tally.streamEnded(at: .milliseconds(2600), Self.outcome(.malformed("not a chunk")))
        tally.streamEnded(at: .milliseconds(1100), Self.outcome(.rejected(status: 503), status: 503))
        tally.streamEnded(at: .milliseconds(3500), Self.outcome(.cancelled))
        let report = tally.report(target: "t", startedAt: .init(timeIntervalSince1970: 0), elapsed: .seconds(4))
        #expect(report.streams.opened == 4)
        #expect(report.streams.completed == 1)
        #expect(report.streams.cut == 2)
        #expect(report.streams.rejected == 1)
        #expect(report.streams.abandoned == 1)
        #expect(report.streams.reasons == ["connection broke mid-stream": 1, "malformed event": 1, "status 503": 1])
        #expect(report.timeline.map(\.openStreams) == [1, 1, 0, 0])
        #expect(!report.isClean)
    }
}
