import Foundation
import SwitchyardCore

/// Runs a `CapacityRamp` against a target: each step is a load run at the step's QPS for `stepDuration`
/// (open loop, so a queue in the target shows as latency), then a pause while the target's queue drains.
public struct CapacityFinder: Sendable {
    public var load: LoadConfiguration
    public var stepDuration: Duration
    public var pause: Duration

    public init(load: LoadConfiguration, stepDuration: Duration = .seconds(5), pause: Duration = .seconds(1)) {
        self.load = load
        self.stepDuration = stepDuration
        self.pause = pause
    }

    /// The highest QPS that held (nil: not even the first), and every step; `progress` sees each step as it ends.
    public func run(_ ramp: CapacityRamp, progress: @Sendable (CapacityRamp.Step) -> Void = { _ in }) async -> (held: Double?, steps: [CapacityRamp.Step]) {
        var ramp = ramp
        var next = ramp.first
        while case .run(let qps) = next, !Task.isCancelled {
            var configuration = load
            configuration.requestsPerSecond = qps
            // Room for the queue to show as latency rather than as dropped requests.
            configuration.maxConcurrentRequests = max(load.maxConcurrentRequests, Int(qps * 30))
            let report = await LoadGenerator(configuration: configuration).run(for: stepDuration)
            let failed = report.requests.failed + report.requests.dropped
            let step = CapacityRamp.Step(qps: qps, sent: report.requests.sent + report.requests.dropped, failed: failed,
                                         p99Latency: report.latency.count > 0 ? report.latency.p99 : nil,
                                         p99TimeToFirstToken: load.streams > 0 && report.timeToFirstToken.count > 0 ? report.timeToFirstToken.p99 : nil)
            next = ramp.record(step)
            if let judged = ramp.steps.last { progress(judged) }
            try? await Task.sleep(for: pause)
        }
        switch next {
        case .done(let held): return (held, ramp.steps)
        case .run: return (nil, ramp.steps)
        }
    }
}
