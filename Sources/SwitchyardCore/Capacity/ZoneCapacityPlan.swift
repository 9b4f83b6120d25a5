import Foundation

/// Replicas per zone for a peak, such that losing any one zone leaves enough:
///
///     needed = peak × (1 + headroom) / (per-instance QPS × target utilisation)   (instances' worth)
///     per zone = ceil(needed / survivors),  survivors = zones − 1 (survive zone loss) or zones
///
/// With Z zones and zone loss to survive, each of the Z − 1 zones left must carry needed/(Z − 1),
/// so every zone gets that many. One zone cannot survive its own loss: that is an error.
public struct ZoneCapacityPlan: Sendable, Hashable, Codable {
    public struct ZoneLine: Sendable, Hashable, Codable {
        public var zone: String
        public var now: Int
        /// Replicas for the event's peak.
        public var needed: Int
        /// Replicas for an ordinary day's peak.
        public var ordinary: Int
        public var change: Int { needed - now }
    }

    public struct Input: Sendable, Hashable, Codable {
        /// The peak QPS to plan for (the forecast's upper bound).
        public var peakQPS: Double
        /// An ordinary day's peak (upper bound), for the everyday replica count.
        public var ordinaryQPS: Double
        public var headroom: Ratio
        public var targetUtilisation: Ratio
        public var perInstanceQPS: Double
        /// Where the per-instance figure comes from (nil: given as it is).
        public var perInstanceBasis: String?
        public var zones: [String]
        /// Replicas in each zone today (same order as `zones`).
        public var replicasNow: [Int]
        public var surviveZoneLoss: Bool

        public init(peakQPS: Double, ordinaryQPS: Double, headroom: Ratio, targetUtilisation: Ratio, perInstanceQPS: Double,
                    zones: [String], replicasNow: [Int], surviveZoneLoss: Bool) {
            self.peakQPS = peakQPS
            self.ordinaryQPS = ordinaryQPS
            self.headroom = headroom
            self.targetUtilisation = targetUtilisation
            self.perInstanceQPS = perInstanceQPS
            self.zones = zones
            self.replicasNow = replicasNow
            self.surviveZoneLoss = surviveZoneLoss
        }
    }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case noZones
        case cannotSurviveLossOfOnlyZone(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .noZones: "capacity plan: the service has no zones"
            case .cannotSurviveLossOfOnlyZone(let zone):
                "capacity plan: surviveZoneLoss is set but the service runs in one zone (\(zone)); losing it loses everything. Add a zone, or set surviveZoneLoss: false"
            case .invalid(let message): "capacity plan: \(message)"
            }
        }
    }

    public var input: Input
    public var lines: [ZoneLine]
    /// Instances' worth of capacity the peak needs (before rounding and spreading).
    public var instancesNeeded: Double
    /// Zones that carry the peak after losing one.
    public var survivors: Int
    public var totalNow: Int { lines.reduce(0) { $0 + $1.now } }
    public var totalNeeded: Int { lines.reduce(0) { $0 + $1.needed } }
    public var totalOrdinary: Int { lines.reduce(0) { $0 + $1.ordinary } }
    /// QPS the fleet carries today at target utilisation, with one zone lost when planned so.
    public var capacityNowQPS: Double {
        let perZone = lines.map { Double($0.now) }.sorted()
        let kept = input.surviveZoneLoss ? perZone.dropLast().reduce(0, +) : perZone.reduce(0, +)
        return kept * input.perInstanceQPS * input.targetUtilisation.value / (1 + input.headroom.value)
    }

    public static func plan(_ input: Input) throws(Failure) -> ZoneCapacityPlan {
        guard !input.zones.isEmpty else { throw .noZones }
        guard input.replicasNow.count == input.zones.count else {
            throw .invalid("\(input.zones.count) zones but \(input.replicasNow.count) current replica counts")
        }
        guard input.perInstanceQPS > 0, input.perInstanceQPS.isFinite else { throw .invalid("per-instance QPS must be above 0, got \(input.perInstanceQPS)") }
        guard input.targetUtilisation.value > 0, input.targetUtilisation.value <= 1 else {
            throw .invalid("target utilisation must be within (0%, 100%], got \(input.targetUtilisation)")
        }
        guard input.headroom.value >= 0 else { throw .invalid("headroom must be 0% or more, got \(input.headroom)") }
        guard input.peakQPS >= 0, input.peakQPS.isFinite, input.ordinaryQPS >= 0, input.ordinaryQPS.isFinite else {
            throw .invalid("peak QPS must be a finite number ≥ 0")
        }
        if input.surviveZoneLoss, input.zones.count == 1 { throw .cannotSurviveLossOfOnlyZone(input.zones[0]) }
        let survivors = input.surviveZoneLoss ? input.zones.count - 1 : input.zones.count
        let perInstance = input.perInstanceQPS * input.targetUtilisation.value
        func perZone(_ qps: Double) -> Int {
            let needed = qps * (1 + input.headroom.value) / perInstance
            // A hair below an integer is that integer: 10.000000001 replicas is 10, not 11. A zone keeps one instance
            // when nothing is forecast: a zone of none serves nothing that is routed to it.
            return max(1, Int((needed / Double(survivors) - 1e-9).rounded(.up)))
        }
        let event = perZone(input.peakQPS)
        let ordinary = perZone(input.ordinaryQPS)
        let lines = zip(input.zones, input.replicasNow).map { ZoneLine(zone: $0, now: $1, needed: event, ordinary: ordinary) }
        return ZoneCapacityPlan(input: input, lines: lines, instancesNeeded: input.peakQPS * (1 + input.headroom.value) / perInstance,
                                survivors: survivors)
    }
}
