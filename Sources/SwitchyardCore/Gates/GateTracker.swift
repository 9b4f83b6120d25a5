/// Where a gate stands after its measurements so far.
public enum GateVerdict: Sendable, Hashable, Codable {
    /// More measurements are needed.
    case pending
    case passed
    case failed(reason: String)

    public var isFailed: Bool { if case .failed = self { true } else { false } }
}

/// Judges a gate from its measurements alone: failure limit, consecutive-failure limit,
/// consecutive-error limit (fail closed) and the gate's policy for inconclusive measurements.
public struct GateTracker: Sendable, Hashable, Codable {
    /// A pre-promotion gate needs one passing measurement; a bake gate is sampled until the bake ends.
    public enum Mode: String, Sendable, Hashable, Codable { case check, bake }

    public let name: String
    public let mode: Mode
    public let failureLimit: Int
    public let consecutiveFailureLimit: Int?
    public let consecutiveErrorLimit: Int
    public let inconclusivePolicy: GateDefinition.Inconclusive

    public private(set) var passes = 0
    public private(set) var failures = 0
    public private(set) var errors = 0
    public private(set) var inconclusives = 0
    public private(set) var consecutiveFailures = 0
    public private(set) var consecutiveErrors = 0
    public private(set) var consecutiveInconclusives = 0
    public private(set) var last: GateMeasurement?
    public private(set) var verdict: GateVerdict = .pending

    public init(_ definition: GateDefinition, mode: Mode) {
        name = definition.name
        self.mode = mode
        failureLimit = definition.failureLimit
        consecutiveFailureLimit = definition.consecutiveFailureLimit
        consecutiveErrorLimit = definition.consecutiveErrorLimit
        inconclusivePolicy = definition.inconclusive
    }

    /// Records a measurement and returns the verdict it leads to. A decided gate stays decided.
    @discardableResult
    public mutating func record(_ measurement: GateMeasurement) -> GateVerdict {
        guard verdict == .pending else { return verdict }
        last = measurement
        var phase = measurement.phase
        if phase == .inconclusive {
            inconclusives += 1
            consecutiveInconclusives += 1
            switch inconclusivePolicy {
            case .pass: phase = .pass
            case .fail: phase = .fail
            case .ignore:
                consecutiveErrors = 0
                if mode == .check, consecutiveInconclusives >= consecutiveErrorLimit {
                    verdict = .failed(reason: "\(name): \(consecutiveInconclusives) inconclusive measurements in a row (\(measurement.message)); failing closed")
                }
                return verdict
            }
        } else {
            consecutiveInconclusives = 0
        }
        switch phase {
        case .pass:
            passes += 1
            consecutiveFailures = 0
            consecutiveErrors = 0
            if mode == .check { verdict = .passed }
        case .fail:
            failures += 1
            consecutiveFailures += 1
            consecutiveErrors = 0
            if failures > failureLimit {
                verdict = .failed(reason: "\(name): \(measurement.message) (\(failures) failed measurement\(failures == 1 ? "" : "s"), limit \(failureLimit))")
            } else if let limit = consecutiveFailureLimit, consecutiveFailures >= limit {
                verdict = .failed(reason: "\(name): \(measurement.message) (\(consecutiveFailures) failures in a row)")
            }
        case .error:
            errors += 1
            consecutiveErrors += 1
            if consecutiveErrors >= consecutiveErrorLimit {
                verdict = .failed(reason: "\(name): could not measure \(consecutiveErrors) times in a row (\(measurement.message)); failing closed")
            }
        case .inconclusive:
            break
        }
        return verdict
    }

    /// The bake is over: a bake gate that never failed passes if at least one measurement passed and
    /// its last one could be taken. Errors in the last intervals (fewer than the consecutive-error limit)
    /// would otherwise let a release promote on figures nobody saw for the end of its bake.
    @discardableResult
    public mutating func conclude() -> GateVerdict {
        guard verdict == .pending else { return verdict }
        if consecutiveErrors > 0 {
            verdict = .failed(reason: "\(name): the last \(consecutiveErrors) measurement\(consecutiveErrors == 1 ? "" : "s") of the bake could not be taken (\(last?.message ?? "")); failing closed")
            return verdict
        }
        verdict = passes > 0 ? .passed : .failed(reason: "\(name): no passing measurement during the bake (\(last?.message ?? "none taken")); failing closed")
        return verdict
    }
}
