import Foundation

/// The notice of a capacity plan that today's fleet cannot carry.
public enum CapacityNotice {
    /// Nil when every zone has what the plan needs.
    public static func exceedsFleet(_ report: ForecastReport, topology: String, at: Date) -> Notice? {
        let plan = report.capacity
        let short = plan.lines.filter { $0.needed > $0.now }
        guard !short.isEmpty else { return nil }
        let zones = short.map { "\($0.zone) \($0.now) → \($0.needed)" }.joined(separator: ", ")
        return Notice(event: .capacityExceedsFleet, at: at, topology: topology, subject: report.name,
                      text: "\(report.name): the forecast peak needs \(plan.totalNeeded) replicas, today's fleet has \(plan.totalNow) (\(zones))",
                      details: ["peakQPS": String(format: "%.0f", report.peak.value), "replicasNeeded": String(plan.totalNeeded),
                                "replicasNow": String(plan.totalNow), "zones": zones])
    }
}
