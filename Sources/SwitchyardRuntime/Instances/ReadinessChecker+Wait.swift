import Foundation
import SwitchyardCore

/// Which instances answered ready, and why the others did not.
public struct ReadinessReport: Sendable, Hashable {
    public var ready: [HostPort]
    /// The instances not ready when time ran out, with their last answer or error.
    public var notReady: [HostPort: String]
    public var elapsed: Duration

    public var allReady: Bool { notReady.isEmpty }

    public var summary: String {
        if allReady { return "\(ready.count) instances ready in \(TimeSpan(milliseconds: Int64(elapsed.seconds * 1000)))" }
        return "not ready: " + notReady.sorted { $0.key.description < $1.key.description }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
    }
}

/// The one readiness check: what the process driver waits on after a start, what a switch checks before it
/// routes, and what a person or a test polls for a report of who is not ready and why.
extension ReadinessChecker {
    /// Polls each instance's readiness path until all answer 200, or `timeout` passes.
    public func waitUntilReady(instances: [HostPort], path: String = "/readyz", scheme: String = "http",
                               timeout: Duration, interval: Duration = .milliseconds(100)) async -> ReadinessReport {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timeout
        let results = await withTaskGroup(of: (HostPort, String?).self) { group in
            for instance in instances {
                group.addTask {
                    var last = "no answer yet"
                    while clock.now < deadline, !Task.isCancelled {
                        guard let reason = await notReadyReason(instance, path: path, scheme: scheme, timeout: min(deadline - clock.now, .seconds(2))) else {
                            return (instance, nil)
                        }
                        last = reason
                        try? await clock.sleep(until: min(clock.now + interval, deadline))
                    }
                    return (instance, last)
                }
            }
            var all: [(HostPort, String?)] = []
            for await result in group { all.append(result) }
            return all
        }
        return ReadinessReport(
            ready: results.filter { $0.1 == nil }.map(\.0).sorted { $0.description < $1.description },
            notReady: Dictionary(uniqueKeysWithValues: results.compactMap { r in r.1.map { (r.0, $0) } }),
            elapsed: clock.now - start
        )
    }
}
