import Foundation
import SwitchyardCore

/// What `yard load --find-capacity` found one instance of a service serves at its objective.
public struct CapacityMeasurement: Sendable, Hashable, Codable {
    public var service: String
    public var target: String
    /// The highest QPS that held the objective.
    public var qps: Double
    public var objective: CapacityRamp.Objective
    public var steps: [CapacityRamp.Step]
    public var measuredAt: Date

    public init(service: String, target: String, qps: Double, objective: CapacityRamp.Objective, steps: [CapacityRamp.Step], measuredAt: Date) {
        self.service = service
        self.target = target
        self.qps = qps
        self.objective = objective
        self.steps = steps
        self.measuredAt = measuredAt
    }

    /// One line for a capacity report: where the figure comes from.
    public var basis: String {
        var bounds: [String] = []
        if let p99 = objective.p99Latency { bounds.append("p99 ≤ \(Int((p99 * 1000).rounded())) ms") }
        if let ttft = objective.p99TimeToFirstToken { bounds.append("p99 TTFT ≤ \(Int((ttft * 1000).rounded())) ms") }
        let formatter = ISO8601DateFormatter()
        return "measured by yard load --find-capacity on \(target) at \(formatter.string(from: measuredAt))"
            + (bounds.isEmpty ? "" : " (\(bounds.joined(separator: ", ")))")
    }
}
