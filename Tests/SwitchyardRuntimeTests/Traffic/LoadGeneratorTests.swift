import SwitchyardTesting
import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// The generator against real `yard-gateway` processes on loopback.
@Suite(.timeLimit(.minutes(1)))
struct LoadGeneratorTests {
    static func configuration(_ gateway: GatewayProcess, rps: Double, streams: Int, streamTokens: Int = 5, delay: TimeSpan = .ms(20)) -> LoadConfiguration {
        var configuration = LoadConfiguration(baseURL: gateway.baseURL)
        configuration.requestsPerSecond = rps
        configuration.streams = streams
        configuration.streamTokens = streamTokens
        configuration.streamTokenDelay = delay
        configuration.requestTokenDelay = .ms(1)
        return configuration
    }

    @Test func countsAddUpAgainstAHealthyGateway() async throws {
        try await GatewayProcess.with(["--slot", "green", "--version", "2.0.0", "--token-delay", "1ms"]) { gateway in
            let generator = LoadGenerator(configuration: Self.configuration(gateway, rps: 50, streams: 4))
            let report = await generator.run(for: .seconds(2))
            #expect((95...101).contains(report.requests.sent), "sent \(report.requests.sent) at 50/s for 2 s")
            #expect(report.requests.succeeded + report.requests.failed + report.requests.abandoned == report.requests.sent)
            #expect(report.requests.failed == 0)
            #expect(report.requests.byStatus["200"] == report.requests.succeeded)
            #expect(report.latency.count == report.requests.succeeded)
            #expect(report.latency.p50 > 0 && report.latency.p50 <= report.latency.p99 && report.latency.p99 <= report.latency.max)
            // 4 streams of 5 tokens × 20 ms (about 0.15 s each), re-opened for 2 s.
            #expect(report.streams.completed >= 20, "\(report.streams)")
            #expect(report.streams.cut == 0 && report.streams.rejected == 0, "\(report.streams)")
            #expect(report.streams.opened == report.streams.completed + report.streams.abandoned)
            #expect((report.streams.completed...report.streams.opened).contains(report.timeToFirstToken.count))
            #expect(report.isClean)
            let green = try #require(report.sighting(slot: "green"))
            #expect(green.version == "2.0.0")
            #expect(green.answers == report.requests.sent - report.requests.abandoned + report.streams.opened)
            #expect(green.firstAnswer < 0.5 && green.lastAnswer > 1.5, "\(green)")
            // Two full seconds, and a third begun while the last requests were answered.
            #expect((2...3).contains(report.timeline.count))
            #expect(report.timeline.map(\.sent).reduce(0, +) == report.requests.sent)
            // Per-second counts vary on a busy machine (a late sender catches up at once): only their sum is exact.
            #expect(report.timeline.first?.slots["green"] ?? 0 > 0)
        }
    }

    @Test func injectedServerErrorsShowAsFailures() async throws {
        try await GatewayProcess.with(["--fault-error-rate", "0.5", "--fault-seed", "7"]) { gateway in
            let report = await LoadGenerator(configuration: Self.configuration(gateway, rps: 60, streams: 2)).run(for: .seconds(1))
            let failed500 = report.requests.byStatus["500"] ?? 0
            #expect(failed500 > 10 && report.requests.succeeded > 10, "\(report.requests)")
            #expect(report.requests.failed == failed500)
            #expect(report.requests.connectionErrors == 0)
            #expect(report.streams.rejected > 0 && report.streams.reasons["status 500"] == report.streams.rejected)
            #expect(!report.isClean)
        }
    }

    @Test func aGatewayKilledMidRunCutsItsStreams() async throws {
        try await GatewayProcess.with(["--token-delay", "1ms"]) { gateway in
            // Streams of 40 tokens × 50 ms (2 s): all four are open when the process dies.
            let generator = LoadGenerator(configuration: Self.configuration(gateway, rps: 20, streams: 4, streamTokens: 40, delay: .ms(50)))
            generator.start()
            // Wait (on a busy machine, as long as it takes) until the four streams are open.
            var before = await generator.snapshot()
            for _ in 0..<100 where before.openStreams < 4 || before.requests.succeeded < 2 {
                try await Task.sleep(for: .milliseconds(50))
                before = await generator.snapshot()
            }
            #expect(before.openStreams == 4)
            #expect(before.requests.succeeded >= 2)
            gateway.signal(SIGKILL)
            // Requests to the dead port fail once the client's 1 s connect timeout passes.
            try await Task.sleep(for: .milliseconds(1500))
            let report = await generator.stop()
            #expect(report.streams.cut == 4, "\(report.streams)")
            #expect(report.streams.reasons["connection broke mid-stream"] == 4 || report.streams.reasons["the body ended without [DONE]"] != nil, "\(report.streams.reasons)")
            #expect(report.requests.connectionErrors > 0)
            #expect(!report.isClean)
            // stop() twice gives the same report.
            #expect(await generator.stop() == report)
        }
    }
}
