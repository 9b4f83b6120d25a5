import AsyncHTTPClient
import Foundation
import SwitchyardCore

/// Takes one measurement of a gate against a target and returns it as a value; the verdict over
/// many measurements is Core's (`GateTracker`). A metric gate's figure covers the window since
/// the same gate's previous measurement: the prober keeps each instance's last scrape per gate.
public actor GateProber {
    let client: HTTPClient
    /// `max_tokens` of an SSE probe's streams.
    let sseTokens: Int
    /// Extra headers on the SSE probe's requests (such as `Authorization`).
    let headers: [String: String]
    /// Last scrape per gate, per side (`slot` or `baseline`), per instance.
    var previous: [ScrapeKey: GatewayMetricsSample] = [:]
    /// Per load balancer gate, how far its access log was read.
    var accessLogs: [String: AccessLogTail] = [:]
    /// When a gate's window began (`forget`), seconds since 1970: its first read skips older lines.
    var windowStarts: [String: Double] = [:]

    struct ScrapeKey: Hashable, Sendable {
        var gate: String
        var baseline: Bool
        var instance: HostPort
    }

    public init(client: HTTPClient = YardHTTPClient.shared, sseTokens: Int = 8, headers: [String: String] = [:]) {
        self.client = client
        self.sseTokens = sseTokens
        self.headers = headers
    }

    /// One measurement of `gate` against `target`.
    public func measure(_ gate: GateDefinition, target: ProbeTarget) async -> GateMeasurement {
        switch gate.probe {
        case .http(let check): await measureHTTP(check, target: target)
        case .sse(let check): await measureSSE(check, target: target)
        case .metric(let check):
            switch check.source {
            case .metrics: await measureMetric(check, gate: gate.name, target: target)
            case .loadBalancer: measureAccessLog(check, gate: gate.name, target: target)
            }
        case .prometheus(let check): await measurePrometheus(check)
        }
    }

    /// Forgets a gate's previous scrapes, so its next metric window starts from the instances' start,
    /// and its load balancer window from now.
    public func forget(gate: String) {
        previous = previous.filter { $0.key.gate != gate }
        accessLogs[gate] = nil
        windowStarts[gate] = Date().timeIntervalSince1970
    }
}

extension GateProber {
    /// Streams open now on these instances, from their metrics' open-streams gauge; nil when none answered.
    public func openStreams(_ instances: [HostPort], metricsPath: String = "/metrics", gauge: String = "yard_open_streams") async -> Int? {
        var total = 0.0
        var answered = false
        for instance in instances {
            guard let answer = try? await ProbeHTTP.fetch(client, url: "http://\(instance)\(metricsPath)", timeout: .seconds(1)),
                  answer.status == 200, let exposition = try? PrometheusExposition.parse(answer.body),
                  let value = exposition.sum(gauge) else { continue }
            total += value
            answered = true
        }
        return answered ? Int(total) : nil
    }
}
