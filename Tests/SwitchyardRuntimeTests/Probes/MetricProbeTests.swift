import SwitchyardTesting
import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Metric gates scrape real gateways' `/metrics`; traffic comes from the load generator.
@Suite(.timeLimit(.minutes(1)))
struct MetricProbeTests {
    static func traffic(_ gateway: GatewayProcess, rps: Double = 60, streams: Int = 0, seconds: Int = 1) async -> LoadReport {
        var configuration = LoadConfiguration(baseURL: gateway.baseURL)
        configuration.requestsPerSecond = rps
        configuration.requestTokenDelay = .ms(1)
        configuration.streams = streams
        configuration.streamTokens = 3
        configuration.streamTokenDelay = .ms(10)
        return await LoadGenerator(configuration: configuration).run(for: .seconds(Int64(seconds)))
    }

    static func gate(_ measure: MetricCheck.Measure, max: Double, overBaseline: Double? = nil) -> GateDefinition {
        GateDefinition(name: "\(measure.rawValue)", probe: .metric(MetricCheck(measure: measure, threshold: Threshold(max: max), maxIncreaseOverBaseline: overBaseline)))
    }

    @Test func errorRateWindowsFollowTheTraffic() async throws {
        try await GatewayProcess.with(["--fault-error-rate", "0.5", "--fault-seed", "3"]) { gateway in
            let prober = GateProber()
            let target = ProbeTarget(listener: gateway.address, instances: [gateway.address])
            let gate = Self.gate(.errorRate, max: 0.05)
            // Nothing served yet: nothing to judge.
            #expect(await prober.measure(gate, target: target).phase == .inconclusive)
            _ = await Self.traffic(gateway)
            let failing = await prober.measure(gate, target: target)
            #expect(failing.phase == .fail, "\(failing)")
            let rate = try #require(failing.value)
            #expect(rate > 0.3 && rate < 0.7)
            // The next window starts where this one ended: no traffic since, inconclusive again.
            let idle = await prober.measure(gate, target: target)
            #expect(idle.phase == .inconclusive, "\(idle)")
        }
    }

    @Test func healthySlotPassesLatencyAndTimeToFirstToken() async throws {
        try await GatewayProcess.with(["--token-delay", "1ms"]) { gateway in
            _ = await Self.traffic(gateway, rps: 40, streams: 2)
            let prober = GateProber()
            let target = ProbeTarget(listener: gateway.address, instances: [gateway.address])
            let errors = await prober.measure(Self.gate(.errorRate, max: 0.01), target: target)
            #expect(errors.phase == .pass && errors.value == 0, "\(errors)")
            let latency = await prober.measure(Self.gate(.p99Latency, max: 0.5), target: target)
            #expect(latency.phase == .pass, "\(latency)")
            let ttft = await prober.measure(Self.gate(.p99TimeToFirstToken, max: 0.5), target: target)
            #expect(ttft.phase == .pass, "\(ttft)")
        }
    }

    @Test func slowerThanTheOldSlotFailsAgainstTheBaseline() async throws {
        try await GatewayProcess.with(["--slot", "blue", "--token-delay", "1ms"]) { old in
            try await GatewayProcess.with(["--slot", "green", "--token-delay", "1ms", "--fault-first-token-latency", "300ms"]) { new in
                async let a = Self.traffic(old, rps: 20, streams: 2)
                async let b = Self.traffic(new, rps: 20, streams: 2)
                _ = await (a, b)
                let prober = GateProber()
                let target = ProbeTarget(listener: new.address, instances: [new.address], baseline: [old.address])
                // Within the absolute bound of 2 s, but over the old slot's p99 by more than 100 ms.
                let measurement = await prober.measure(Self.gate(.p99TimeToFirstToken, max: 2, overBaseline: 0.1), target: target)
                #expect(measurement.phase == .fail, "\(measurement)")
                #expect(measurement.message.contains("old slot"))
                // The same new slot judged with the old one as its target passes its own baseline check.
                let reversed = ProbeTarget(listener: old.address, instances: [old.address], baseline: [new.address])
                let fine = await prober.measure(Self.gate(.p99TimeToFirstToken, max: 2, overBaseline: 0.1), target: reversed)
                #expect(fine.phase == .pass, "\(fine)")
            }
        }
    }

    @Test func aFailedScrapeIsAnError() async throws {
        let target = ProbeTarget(listener: closedPort(), instances: [closedPort()])
        let measurement = await GateProber().measure(Self.gate(.errorRate, max: 0.05), target: target)
        #expect(measurement.phase == .error, "\(measurement)")
        #expect(measurement.message.contains("scrape failed"))
    }
}
