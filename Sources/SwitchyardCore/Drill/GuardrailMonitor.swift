/// Why a drill was stopped early: the guardrail rule, in words, and the second it tripped at.
public struct GuardrailTrip: Sendable, Hashable, Codable {
    /// `min-success-rate` or `max-p99`.
    public var rule: String
    public var message: String
    public var second: Int

    public init(rule: String, message: String, second: Int) {
        self.rule = rule
        self.message = message
        self.second = second
    }
}

/// Incremental guardrail check, fed one second at a time while the fault is in place.
///
/// - Floor: trips when the success rate stays under `minSuccessRate` for `floorFor` consecutive
///   seconds (rounded up to whole seconds, at least 1).
/// - Ceiling: trips when p99 is over `maxP99` for `p99Seconds` (3) consecutive seconds. One second's
///   p99 rests on few requests and the retries right after a fault make one slow second common;
///   three in a row is a trend, not noise.
///
/// A second in which no request finished tells nothing: it neither counts towards a run nor
/// breaks one. Once tripped, the monitor stays tripped and returns the same trip.
public struct GuardrailMonitor: Sendable {
    public static let p99Seconds = 3
    public static let floorRule = "min-success-rate"
    public static let ceilingRule = "max-p99"

    public let guardrails: Guardrails
    public private(set) var trip: GuardrailTrip?
    private var floorRun = 0, floorStart = 0, floorLowest = 1.0
    private var ceilingRun = 0, ceilingStart = 0, ceilingWorst = 0.0

    public init(_ guardrails: Guardrails) {
        self.guardrails = guardrails
    }

    /// Consecutive seconds under the floor that trip it.
    public var floorSeconds: Int { max(1, Int(guardrails.floorFor.seconds.rounded(.up))) }

    /// Returns why to abort, or nil.
    public mutating func observe(_ second: DrillSecond) -> GuardrailTrip? {
        if let trip { return trip }
        guard let rate = second.successRate else { return nil }
        if let floor = guardrails.minSuccessRate {
            if rate < floor.value {
                if floorRun == 0 { floorStart = second.second; floorLowest = rate }
                floorRun += 1
                floorLowest = min(floorLowest, rate)
                if floorRun >= floorSeconds {
                    trip = GuardrailTrip(rule: Self.floorRule, message:
                        "success rate under \(floor) for \(floorRun) consecutive second\(floorRun == 1 ? "" : "s") from second \(floorStart) (lowest \(DrillFormat.percent(floorLowest)))",
                                         second: second.second)
                    return trip
                }
            } else {
                floorRun = 0
            }
        }
        if let ceiling = guardrails.maxP99 {
            if second.p99 > Double(ceiling.milliseconds) {
                if ceilingRun == 0 { ceilingStart = second.second; ceilingWorst = 0 }
                ceilingRun += 1
                ceilingWorst = max(ceilingWorst, second.p99)
                if ceilingRun >= Self.p99Seconds {
                    trip = GuardrailTrip(rule: Self.ceilingRule, message:
                        "p99 over \(ceiling) for \(ceilingRun) consecutive seconds from second \(ceilingStart) (worst \(DrillFormat.milliseconds(ceilingWorst)))",
                                         second: second.second)
                    return trip
                }
            } else {
                ceilingRun = 0
            }
        }
        return nil
    }
}

