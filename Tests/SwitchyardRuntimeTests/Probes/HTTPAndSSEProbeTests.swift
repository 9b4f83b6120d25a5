import SwitchyardTesting
import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// HTTP and SSE gates against real `yard-gateway` processes; each gateway stands in for the
/// listener as well (the listener is just an address that answers like the slot).
@Suite(.timeLimit(.minutes(1)))
struct HTTPAndSSEProbeTests {
    static func gate(_ probe: GateProbe) -> GateDefinition { GateDefinition(name: "g", probe: probe) }
    static func target(_ gateway: GatewayProcess, listener: HostPort? = nil) -> ProbeTarget {
        ProbeTarget(listener: listener ?? gateway.address, instances: [gateway.address])
    }

    @Test func httpPassesWhenEveryInstanceAndTheListenerAnswer() async throws {
        try await GatewayProcess.with([]) { gateway in
            let measurement = await GateProber().measure(Self.gate(.http(HTTPCheck(path: "/readyz", bodyContains: "ready"))), target: Self.target(gateway))
            #expect(measurement.phase == .pass, "\(measurement)")
            #expect(measurement.value == 2)
        }
    }

    @Test func httpFailsOnAWrongStatus() async throws {
        try await GatewayProcess.with(["--fault-never-ready"]) { gateway in
            let measurement = await GateProber().measure(Self.gate(.http(HTTPCheck(path: "/readyz"))), target: Self.target(gateway))
            #expect(measurement.phase == .fail, "\(measurement)")
            #expect(measurement.message.contains("answered 503, expected 200"))
        }
    }

    @Test func httpFailsOnAMissingBodyText() async throws {
        try await GatewayProcess.with(["--version", "1.0.0"]) { gateway in
            let check = HTTPCheck(path: "/version", bodyContains: "\"2.0.0\"")
            let measurement = await GateProber().measure(Self.gate(.http(check)), target: Self.target(gateway))
            #expect(measurement.phase == .fail, "\(measurement)")
        }
    }

    @Test func httpIsAnErrorWhenAnInstanceIsUnreachable() async throws {
        try await GatewayProcess.with([]) { gateway in
            let target = ProbeTarget(listener: gateway.address, instances: [gateway.address, closedPort()])
            let measurement = await GateProber().measure(Self.gate(.http(HTTPCheck(path: "/readyz"))), target: target)
            #expect(measurement.phase == .error, "\(measurement)")
        }
    }

    @Test func ssePassesWhenStreamsCompleteInTime() async throws {
        try await GatewayProcess.with(["--token-delay", "5ms"]) { gateway in
            // A generous bound: the tests run in parallel on a busy 2-core machine.
            let check = SSECheck(streams: 5, firstEventWithin: .seconds(2), timeout: .seconds(5))
            let measurement = await GateProber().measure(Self.gate(.sse(check)), target: Self.target(gateway))
            #expect(measurement.phase == .pass, "\(measurement)")
            #expect((measurement.value ?? 9) < 2)
        }
    }

    @Test func sseFailsOnALateFirstEvent() async throws {
        try await GatewayProcess.with(["--token-delay", "5ms", "--fault-first-token-latency", "800ms"]) { gateway in
            let check = SSECheck(streams: 3, firstEventWithin: .ms(200), timeout: .seconds(5))
            let measurement = await GateProber().measure(Self.gate(.sse(check)), target: Self.target(gateway))
            #expect(measurement.phase == .fail, "\(measurement)")
            // "no event within 200ms", or "no answer within 200ms" when even the head came late.
            #expect(measurement.message.contains("within 200ms"), "\(measurement)")
        }
    }

    @Test func sseFailsOnAStalledStream() async throws {
        try await GatewayProcess.with(["--token-delay", "5ms", "--fault-stall-after", "2"]) { gateway in
            let check = SSECheck(streams: 2, firstEventWithin: .seconds(2), timeout: .ms(800))
            let measurement = await GateProber().measure(Self.gate(.sse(check)), target: Self.target(gateway))
            #expect(measurement.phase == .fail, "\(measurement)")
            #expect(measurement.message.contains("no [DONE] within 800ms"))
        }
    }

    @Test func sseFailsOnAMalformedEvent() async throws {
        try await GatewayProcess.with(["--token-delay", "5ms", "--fault-malformed-after", "2"]) { gateway in
            let check = SSECheck(streams: 2, firstEventWithin: .seconds(2), timeout: .seconds(5))
            let measurement = await GateProber().measure(Self.gate(.sse(check)), target: Self.target(gateway))
            #expect(measurement.phase == .fail, "\(measurement)")
            #expect(measurement.message.contains("malformed event"))
        }
    }

    @Test func sseIsAnErrorWhenTheListenerIsUnreachable() async throws {
        let target = ProbeTarget(listener: closedPort(), instances: [])
        let measurement = await GateProber().measure(Self.gate(.sse(SSECheck(streams: 2))), target: target)
        #expect(measurement.phase == .error, "\(measurement)")
        #expect(measurement.message.contains("unreachable"))
    }

    @Test func readinessNamesTheInstancesThatAreNotReady() async throws {
        try await GatewayProcess.with([]) { ready in
            try await GatewayProcess.with(["--fault-never-ready"]) { never in
                let prober = ReadinessChecker(client: YardHTTPClient.shared)
                let good = await prober.waitUntilReady(instances: [ready.address], timeout: .seconds(2))
                #expect(good.allReady)
                let closed = closedPort()
                let report = await prober.waitUntilReady(instances: [ready.address, never.address, closed], timeout: .milliseconds(500))
                #expect(report.ready == [ready.address])
                #expect(report.notReady[never.address] == "answered 503")
                #expect(report.notReady[closed] != nil)
                #expect(report.summary.contains(never.address.description))
            }
        }
    }
}
