/// Finding the most one instance serves at its objective: load in steps, multiplied by `growth` while each
/// step holds, then halving the gap between the last step that held and the first that broke. Pure: the
/// caller runs each step and hands back what it measured.
public struct CapacityRamp: Sendable, Hashable {
    /// What a step must keep to hold.
    public struct Objective: Sendable, Hashable, Codable {
        /// p99 of whole non-stream requests, seconds (nil: not judged).
        public var p99Latency: Double?
        /// p99 time to first token of streams, seconds (nil: not judged).
        public var p99TimeToFirstToken: Double?
        /// Share of requests that may fail or be dropped.
        public var maxErrorRate: Double

        public init(p99Latency: Double? = nil, p99TimeToFirstToken: Double? = nil, maxErrorRate: Double = 0.01) {
            self.p99Latency = p99Latency
            self.p99TimeToFirstToken = p99TimeToFirstToken
            self.maxErrorRate = maxErrorRate
        }
    }

    /// What one step measured.
    public struct Step: Sendable, Hashable, Codable {
        public var qps: Double
        public var sent: Int
        public var failed: Int
        public var p99Latency: Double?
        public var p99TimeToFirstToken: Double?
        /// Set by the ramp: whether it held, and if not, why.
        public var held = false
        public var broke: String?

        public init(qps: Double, sent: Int, failed: Int, p99Latency: Double?, p99TimeToFirstToken: Double?) {
            self.qps = qps
            self.sent = sent
            self.failed = failed
            self.p99Latency = p99Latency
            self.p99TimeToFirstToken = p99TimeToFirstToken
        }
    }

    public enum Next: Sendable, Hashable {
        case run(qps: Double)
        /// The highest QPS that held (nil: not even the first step).
        case done(held: Double?)
    }

    public var objective: Objective
    public var start: Double
    public var growth: Double
    public var maxQPS: Double
    /// Halvings of the gap after the first broken step.
    public var refinements: Int
    public private(set) var steps: [Step] = []
    private var held: Double?
    private var broken: Double?
    private var refined = 0

    public init(objective: Objective, start: Double, growth: Double = 1.5, maxQPS: Double = 10_000, refinements: Int = 3) {
        self.objective = objective
        self.start = max(0.1, start)
        self.growth = max(1.05, growth)
        self.maxQPS = max(self.start, maxQPS)
        self.refinements = max(0, refinements)
    }

    /// The first step.
    public var first: Next { .run(qps: start) }

    /// Judges `step` and says what to run next.
    public mutating func record(_ step: Step) -> Next {
        var step = step
        step.broke = reason(step)
        step.held = step.broke == nil
        steps.append(step)
        if step.held { held = max(held ?? 0, step.qps) } else { broken = min(broken ?? .infinity, step.qps) }
        guard let broken else {
            let next = step.qps * growth
            return next > maxQPS ? .done(held: held) : .run(qps: next)
        }
        guard let held else { return .done(held: nil) }
        guard refined < refinements, broken - held > held * 0.02 else { return .done(held: held) }
        refined += 1
        return .run(qps: (held + broken) / 2)
    }

    /// Why a step broke the objective; nil when it held.
    func reason(_ step: Step) -> String? {
        let errors = step.sent > 0 ? Double(step.failed) / Double(step.sent) : 1
        if step.sent == 0 { return "no request was sent" }
        if errors > objective.maxErrorRate { return "\(Ratio(errors)) of requests failed (objective ≤ \(Ratio(objective.maxErrorRate)))" }
        if let bound = objective.p99Latency {
            guard let p99 = step.p99Latency else { return "no request answered" }
            if p99 > bound { return "p99 latency \(Self.ms(p99)) over \(Self.ms(bound))" }
        }
        if let bound = objective.p99TimeToFirstToken {
            guard let p99 = step.p99TimeToFirstToken else { return "no stream started" }
            if p99 > bound { return "p99 time to first token \(Self.ms(p99)) over \(Self.ms(bound))" }
        }
        return nil
    }

    static func ms(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded())) ms" }
}
