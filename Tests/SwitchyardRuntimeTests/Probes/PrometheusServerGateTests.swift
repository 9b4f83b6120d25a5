import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Prometheus gates against a real Prometheus scraping every second two gateways Switchyard did not write
/// (`Fixtures/plain_gateway.py`, stdlib Python, `http_requests_total{route,status}` and a latency histogram): one healthy,
/// one answering every fifth completion 500. The queries are those a release engineer writes.
@Suite(.serialized, .enabled(if: PrometheusServer.isAvailable || ProcessInfo.processInfo.environment["CI"] != nil,
                             "prometheus is not installed (apt-get install prometheus)"))
struct PrometheusServerGateTests {
    static let prometheusPort = 30511
    static let healthyPort = 30521
    static let failingPort = 30522

    static func gate(_ url: String, _ query: String, max: Double) -> GateDefinition {
        GateDefinition(name: "p", probe: .prometheus(PrometheusCheck(url: url, query: query, threshold: Threshold(max: max), timeout: .seconds(5))))
    }

    /// The error ratio as written in practice: a gateway that never failed has no 5xx series at all, so the numerator
    /// is `or vector(0)` (without it the ratio is empty, which the gate calls inconclusive).
    static func errorRatio(port: Int, orZero: Bool = true) -> String {
        let errors = #"sum(rate(http_requests_total{instance="127.0.0.1:\#(port)",status=~"5.."}[10s]))"#
        return (orZero ? "(\(errors) or vector(0))" : errors) + #" / sum(rate(http_requests_total{instance="127.0.0.1:\#(port)"}[10s]))"#
    }

    static let target = ProbeTarget(listener: HostPort(host: "127.0.0.1", port: 1), instances: [])

    /// Starts `plain_gateway.py` on `port`, SIGKILLed when `body` returns or throws.
    static func withGateway<T>(port: Int, errorRate: Double, _ body: () async throws -> T) async throws -> T {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PlainGatewayFleet.script, "--port", "\(port)", "--version", "1.0.0"]
        var environment = ProcessInfo.processInfo.environment
        environment["PLAIN_ERROR_RATE"] = "\(errorRate)"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(1)))?.status != .ok {
            guard process.isRunning, ContinuousClock.now < deadline else { throw PrometheusServer.Unavailable(description: "plain_gateway.py on \(port) did not start") }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await body()
    }

    /// Completions to both gateways, 10 a second each, until cancelled or 60 s have passed.
    static func drive() async {
        let deadline = ContinuousClock.now + .seconds(60)
        while !Task.isCancelled, ContinuousClock.now < deadline {
            for port in [healthyPort, failingPort] {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: #"{"model":"m","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}"#))
                _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(2))
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func errorRatiosLatencyQuantilesAndMissingSeriesAreJudgedFromARealPrometheus() async throws {
        try await Self.withGateway(port: Self.healthyPort, errorRate: 0) {
            try await Self.withGateway(port: Self.failingPort, errorRate: 0.2) {
                try await PrometheusServer.with(port: Self.prometheusPort, scrape: ["127.0.0.1:\(Self.healthyPort)", "127.0.0.1:\(Self.failingPort)"]) { server in
                    let load = Task { await Self.drive() }
                    defer { load.cancel() }
                    // Three scrapes of both, with traffic between them, before anything is judged.
                    try await server.waitForResult(#"sum(increase(http_requests_total{status="500"}[10s])) > 0"#)
                    try await Task.sleep(for: .seconds(3))
                    let prober = GateProber()

                    let healthy = await prober.measure(Self.gate(server.baseURL, Self.errorRatio(port: Self.healthyPort), max: 0.05), target: Self.target)
                    #expect(healthy.phase == .pass && healthy.value == 0, "\(healthy)")

                    let bare = await prober.measure(Self.gate(server.baseURL, Self.errorRatio(port: Self.healthyPort, orZero: false), max: 0.05),
                                                    target: Self.target)
                    #expect(bare.phase == .inconclusive && bare.message.contains("no series"), "no 5xx series yet: \(bare)")

                    let failing = await prober.measure(Self.gate(server.baseURL, Self.errorRatio(port: Self.failingPort), max: 0.05), target: Self.target)
                    #expect(failing.phase == .fail, "\(failing)")
                    #expect(failing.value.map { abs($0 - 0.2) < 0.08 } == true, "every fifth completion fails: \(failing)")

                    // The gateway answers 2 tokens in about 20 ms: the histogram's p99 falls in its 0.025 s bucket.
                    let p99 = await prober.measure(Self.gate(server.baseURL,
                        #"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/v1/chat/completions"}[10s])))"#, max: 0.5),
                        target: Self.target)
                    #expect(p99.phase == .pass, "\(p99)")
                    #expect(p99.value.map { $0 > 0.005 && $0 <= 0.05 } == true, "\(p99)")

                    let missing = await prober.measure(Self.gate(server.baseURL, #"sum(rate(http_requests_total{route="/v2/nothing"}[10s]))"#, max: 1),
                                                       target: Self.target)
                    #expect(missing.phase == .inconclusive, "no series is not a pass: \(missing)")

                    let typo = await prober.measure(Self.gate(server.baseURL, "sum(rate(http_requests_total[10s])", max: 1), target: Self.target)
                    #expect(typo.phase == .error && typo.message.contains("parse error"), "\(typo)")

                    let perInstance = await prober.measure(Self.gate(server.baseURL, "sum by (instance) (rate(http_requests_total[10s]))", max: 1_000),
                                                           target: Self.target)
                    #expect(perInstance.phase == .error && perInstance.message.contains("2 series"), "one number is needed: \(perInstance)")
                }
            }
        }
    }
}
