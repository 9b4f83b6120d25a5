import SwitchyardTesting
import Foundation
import SwitchyardCore
import Testing
@testable import SwitchyardGateway

@Suite struct FaultTests {
    @Test func errorRateAnswers500AndIsRepeatableBySeed() async throws {
        func failures(seed: UInt64) async throws -> [Int] {
            try await InProcessGateway.with({ $0.faults.errorRate = 0.5; $0.faults.seed = seed }) { gateway async throws in
                var statuses: [Int] = []
                for _ in 0..<20 {
                    statuses.append(try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: false, maxTokens: 1)).status)
                }
                return statuses
            }
        }
        let first = try await failures(seed: 7)
        let again = try await failures(seed: 7)
        #expect(first == again)
        #expect(Set(first) == [200, 500])
        let all = try await InProcessGateway.with({ $0.faults.errorRate = 1 }) { gateway async throws in
            try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: true))
        }
        #expect(all.status == 500)
        #expect(all.body.contains("fault_injected"))
    }

    @Test func firstTokenLatencyDelaysTheFirstToken() async throws {
        try await InProcessGateway.with({ $0.faults.firstTokenLatency = .ms(300) }) { gateway async throws in
            let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 2))
            #expect(stream.sawDone)
            let firstToken = try #require(stream.arrivals.dropFirst().first)
            #expect(firstToken >= 0.3)
        }
    }

    @Test func stalledStreamsGoSilentAfterNEvents() async throws {
        try await InProcessGateway.with({ $0.faults.stallAfterEvents = 2; $0.pingInterval = .ms(20) }) { gateway async throws in
            let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 5), timeout: .milliseconds(600))
            #expect(stream.events.count == 2)
            #expect(!stream.sawDone)
            #expect(!stream.endedCleanly)
        }
    }

    @Test func malformedEventsAreNotJSON() async throws {
        try await InProcessGateway.with({ $0.faults.malformedAfterEvents = 2 }) { gateway async throws in
            let stream = try await TestHTTP.stream(gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 4))
            #expect(stream.sawDone)
            let broken = stream.events.filter { event in
                event.data != "[DONE]" && (try? JSONDecoder().decode(ChatCompletionChunk.self, from: Data(event.data.utf8))) == nil
            }
            #expect(broken.count == 1)
            #expect(stream.events.firstIndex(of: broken[0]) == 2)
        }
    }

    @Test func neverReadyKeepsReadinessFalse() async throws {
        try await InProcessGateway.with({ $0.faults.neverReady = true }) { gateway async throws in
            #expect(try await TestHTTP.get(gateway.baseURL + "/readyz").status == 503)
            #expect(try await TestHTTP.get(gateway.baseURL + "/healthz").status == 200)
        }
    }

    @Test func crashExitsNonZeroAfterTheDelay() async throws {
        try await GatewayProcess.with(["--fault-crash-after", "2s"]) { gateway async throws in
            #expect(gateway.printed.contains("fault on: crash (exit 70) after 2s"))
            let status = try await gateway.waitForExit(timeout: .seconds(10))
            #expect(status == 70)
        }
    }

    @Test func faultsCanComeFromEnvironmentVariablesAndArePrinted() async throws {
        try await GatewayProcess.with([], environment: ["YARD_FAULT_ERROR_RATE": "1", "YARD_FAULT_NEVER_READY": "1"]) { gateway async throws in
            #expect(gateway.printed.contains("fault on: error rate 1.0"))
            #expect(gateway.printed.contains("fault on: readiness never turns true"))
            #expect(try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: false)).status == 500)
            #expect(try await TestHTTP.get(gateway.baseURL + "/readyz").status == 503)
        }
    }

    @Test func seededRandomRepeats() {
        var a = SplitMix64(seed: 42)
        var b = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect((0..<1000).allSatisfy { _ in (0..<1).contains(a.unit()) })
    }
}
