import AsyncHTTPClient
import Foundation
import SwitchyardCore

/// The playbook's steady-state probes, through the load balancer: each sends its requests and counts
/// the answers with the expected status.
public struct SteadyStateCheck: Sendable {
    public var baseURL: String
    public var probes: [SteadyStateProbe]
    public var timeout: Duration

    public init(baseURL: String, probes: [SteadyStateProbe], timeout: Duration = .seconds(2)) {
        self.baseURL = baseURL
        self.probes = probes
        self.timeout = timeout
    }

    /// All probes at their success rate, and a line per probe.
    public func run(client: HTTPClient = YardHTTPClient.shared) async -> (ok: Bool, detail: String) {
        guard !probes.isEmpty else { return (true, "no steady-state probe in the playbook") }
        var ok = true
        var lines: [String] = []
        for probe in probes {
            var passed = 0
            var lastProblem: String?
            for _ in 0..<max(1, probe.requests) {
                do {
                    let answer = try await ProbeHTTP.fetch(client, url: baseURL + probe.path, timeout: timeout, bodyLimit: 1 << 16)
                    if answer.status == probe.expectStatus { passed += 1 } else { lastProblem = "status \(answer.status)" }
                } catch {
                    lastProblem = ProbeHTTP.reason(error)
                }
            }
            let total = max(1, probe.requests)
            let met = Double(passed) / Double(total) >= probe.minSuccessRate.value - 1e-9
            ok = ok && met
            lines.append("\(probe.name): \(passed)/\(total) answered \(probe.expectStatus) (needs \(probe.minSuccessRate))"
                         + (met || lastProblem == nil ? "" : "; last failure: \(lastProblem!)"))
        }
        return (ok, lines.joined(separator: "; "))
    }
}
