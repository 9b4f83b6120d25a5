import Foundation
import Testing
@testable import SwitchyardCore

struct CapacityPlanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var peak: Double
        var zones: [String]
        var survive: Bool
        var perInstance: Double = 50
        var headroom: Ratio = .percent(20)
        var utilisation: Ratio = .percent(70)
        var expectedPerZone: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 1000 x 1.2 / (50 x 0.7) = 34.29 instances; each of the 2 survivors holds 17.14 -> 18.
        Case(name: "three zones, survive the loss of one", peak: 1000, zones: ["a", "b", "c"], survive: true, expectedPerZone: 18),
        Case(name: "two zones, survive: each zone holds everything", peak: 1000, zones: ["a", "b"], survive: true, expectedPerZone: 35),
        Case(name: "three zones, no zone-loss margin", peak: 1000, zones: ["a", "b", "c"], survive: false, expectedPerZone: 12),
        Case(name: "one zone, no zone-loss margin", peak: 1000, zones: ["a"], survive: false, expectedPerZone: 35),
        Case(name: "four zones, survive", peak: 1000, zones: ["a", "b", "c", "d"], survive: true, expectedPerZone: 12),
        // 70 x 1 / (10 x 0.7) is 10.000000000000002 in floating point: still 10 instances, 5 per zone.
        Case(name: "an exact fit is not rounded up", peak: 70, zones: ["a", "b"], survive: false, perInstance: 10, headroom: .percent(0), expectedPerZone: 5),
        // A zone of none would serve nothing routed to it: one each however little is forecast.
        Case(name: "no traffic still keeps one replica per zone", peak: 0, zones: ["a", "b", "c"], survive: true, expectedPerZone: 1),
        Case(name: "a trickle keeps one replica per zone", peak: 0.2, zones: ["a", "b"], survive: false, expectedPerZone: 1),
    ]

    @Test(arguments: cases)
    func replicasPerZone(_ c: Case) throws {
        let plan = try ZoneCapacityPlan.plan(.init(peakQPS: c.peak, ordinaryQPS: c.peak / 5, headroom: c.headroom, targetUtilisation: c.utilisation,
                                                   perInstanceQPS: c.perInstance, zones: c.zones, replicasNow: c.zones.map { _ in 4 },
                                                   surviveZoneLoss: c.survive))
        #expect(plan.lines.map(\.needed) == c.zones.map { _ in c.expectedPerZone })
        #expect(plan.lines.map(\.zone) == c.zones)
        #expect(plan.lines.allSatisfy { $0.now == 4 && $0.ordinary <= $0.needed })
        // Whatever zone is lost, the rest carry the peak with headroom at the target utilisation.
        let perReplica = c.perInstance * c.utilisation.value
        let required = c.peak * (1 + c.headroom.value) - 1e-9
        if c.survive {
            for lost in c.zones.indices {
                let left = plan.lines.enumerated().filter { $0.offset != lost }.reduce(0) { $0 + $1.element.needed }
                #expect(Double(left) * perReplica >= required, "losing \(c.zones[lost])")
            }
        } else {
            #expect(Double(plan.totalNeeded) * perReplica >= required)
        }
    }

    @Test func oneZoneCannotSurviveItsOwnLoss() {
        #expect(throws: ZoneCapacityPlan.Failure.cannotSurviveLossOfOnlyZone("a")) {
            try ZoneCapacityPlan.plan(.init(peakQPS: 100, ordinaryQPS: 20, headroom: .percent(20), targetUtilisation: .percent(70),
                                            perInstanceQPS: 50, zones: ["a"], replicasNow: [2], surviveZoneLoss: true))
        }
    }

    static let invalid: [(Double, Ratio, [String])] = [
        (0, .percent(70), ["a", "b"]),
        (50, .percent(0), ["a", "b"]),
        (50, .percent(70), []),
    ]

    @Test(arguments: invalid)
    func invalidInputsAreRejected(perInstance: Double, utilisation: Ratio, zones: [String]) {
        #expect(throws: ZoneCapacityPlan.Failure.self) {
            try ZoneCapacityPlan.plan(.init(peakQPS: 100, ordinaryQPS: 20, headroom: .percent(20), targetUtilisation: utilisation,
                                            perInstanceQPS: perInstance, zones: zones, replicasNow: zones.map { _ in 1 }, surviveZoneLoss: true))
        }
    }
}
