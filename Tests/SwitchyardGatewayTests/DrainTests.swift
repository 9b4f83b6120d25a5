import SwitchyardTesting
import AsyncHTTPClient
import Foundation
import Testing
@testable import SwitchyardGateway

/// SIGTERM against the real executable.
@Suite struct DrainTests {
    @Test func sigtermLetsOpenStreamsFinishRefusesNewRequestsAndExitsZero() async throws {
        try await GatewayProcess.with(["--drain-timeout", "20s", "--instance", "gw-drain"]) { gateway async throws in
            let body = TestHTTP.chatBody(stream: true, maxTokens: 20)
            try await withThrowingTaskGroup(of: TestHTTP.Stream.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await TestHTTP.stream(gateway.chatURL, body: body, headers: [("X-Yard-Token-Delay", "75ms")])
                    }
                }
                try await waitForOpenStreams(gateway.baseURL, 20)
                let clock = ContinuousClock()
                let sent = clock.now
                gateway.signal(SIGTERM)
                try await Task.sleep(for: .milliseconds(100))

                let refused = try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: true))
                #expect(refused.status == 503)
                #expect(refused.header("Connection") == "close")
                #expect(refused.header("X-Yard-Instance") == "gw-drain")
                #expect(try await TestHTTP.get(gateway.baseURL + "/readyz").status == 503)

                var done = 0
                for try await stream in group {
                    #expect(stream.status == 200)
                    #expect(stream.endedCleanly)
                    if stream.sawDone { done += 1 }
                }
                #expect(done == 20)
                let status = try await gateway.waitForExit(timeout: .seconds(20))
                #expect(status == 0)
                #expect(clock.now - sent < .seconds(20))
                #expect(gateway.printed.contains("stopped: 20 streams completed, 0 cut"))
            }
        }
    }

    @Test func drainTimeoutCutsStreamsThatRunTooLong() async throws {
        try await GatewayProcess.with(["--drain-timeout", "300ms"]) { gateway async throws in
            async let stream = TestHTTP.stream(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 100), headers: [("X-Yard-Token-Delay", "100ms")]
            )
            try await waitForOpenStreams(gateway.baseURL, 1)
            gateway.signal(SIGTERM)
            let cut = try await stream
            #expect(!cut.sawDone)
            #expect(try await gateway.waitForExit(timeout: .seconds(10)) == 0)
            #expect(gateway.printed.contains("0 streams completed, 1 cut"))
        }
    }

    @Test func inProcessDrainAnswers503WhileStreamsRun() async throws {
        try await InProcessGateway.with({ $0.drainTimeout = .seconds(5) }) { gateway async throws in
            async let stream = TestHTTP.stream(
                gateway.chatURL, body: TestHTTP.chatBody(stream: true, maxTokens: 3), headers: [("X-Yard-Token-Delay", "150ms")]
            )
            while gateway.server.drain.counts.open == 0 { try await Task.sleep(for: .milliseconds(10)) }
            gateway.server.drain.beginDrain()
            let refused = try await TestHTTP.post(gateway.chatURL, body: TestHTTP.chatBody(stream: false))
            #expect(refused.status == 503)
            #expect(refused.header("Connection") == "close")
            let result = try await stream
            #expect(result.sawDone, "events \(result.events.count), clean \(result.endedCleanly), \(result.messages)")
        }
    }
}

/// Polls `/metrics` until the gateway holds `count` open streams (at most 10 s).
func waitForOpenStreams(_ baseURL: String, _ count: Int) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(10)
    while clock.now < deadline {
        let metrics = try await TestHTTP.get(baseURL + "/metrics").body
        if MetricsTests.sample(metrics, "yard_open_streams") == Double(count) { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TestFailure("the gateway never held \(count) open streams")
}
