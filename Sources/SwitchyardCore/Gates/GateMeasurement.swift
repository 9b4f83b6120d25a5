/// One measurement of a gate, judged. A measurement is a value: the verdict comes from pure code.
public struct GateMeasurement: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Phase: String, Sendable, Hashable, Codable {
        /// The value is within bounds.
        case pass
        /// The value is out of bounds.
        case fail
        /// The measurement was taken but says nothing (no traffic to compute a rate from, say).
        case inconclusive
        /// The measurement could not be taken (backend unreachable, timeout).
        case error
    }

    public var phase: Phase
    /// The measured figure, where there is one (a ratio, or seconds for latencies).
    public var value: Double?
    public var message: String

    public init(_ phase: Phase, value: Double? = nil, _ message: String) {
        self.phase = phase
        self.value = value
        self.message = message
    }

    public static func pass(_ message: String) -> GateMeasurement { GateMeasurement(.pass, message) }
    public static func pass(_ value: Double?, _ message: String) -> GateMeasurement { GateMeasurement(.pass, value: value, message) }
    public static func fail(_ message: String) -> GateMeasurement { GateMeasurement(.fail, message) }
    public static func fail(_ value: Double?, _ message: String) -> GateMeasurement { GateMeasurement(.fail, value: value, message) }
    public static func inconclusive(_ message: String) -> GateMeasurement { GateMeasurement(.inconclusive, message) }
    public static func error(_ message: String) -> GateMeasurement { GateMeasurement(.error, message) }

    public var description: String { "\(phase.rawValue): \(message)" }
}
