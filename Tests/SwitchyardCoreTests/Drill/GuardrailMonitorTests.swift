import Foundation
import Testing
@testable import SwitchyardCore

struct GuardrailMonitorTests {
    func feed(_ monitor: inout GuardrailMonitor, _ seconds: [DrillSecond]) -> [GuardrailTrip?] {
        seconds.map { monitor.observe($0) }
    }

    @Test func theFloorNeedsConsecutiveSeconds() throws {
        var monitor = GuardrailMonitor(Guardrails(minSuccessRate: .percent(90), floorFor: .seconds(3)))
        // bad, bad, good (resets), bad, bad, no traffic (neutral), bad: trips at second 6.
        let seconds = failing(0...1, failed: 50) + steady(2...2) + failing(3...4, failed: 20) + [silent(5)] + failing(6...6, failed: 30) + steady(7...8)
        let trips = feed(&monitor, seconds)
        #expect(trips[0..<6].allSatisfy { $0 == nil })
        let trip = try #require(trips[6])
        #expect(trip.rule == "min-success-rate")
        #expect(trip.second == 6)
        #expect(trip.message == "success rate under 90% for 3 consecutive seconds from second 3 (lowest 70%)")
        // Once tripped, it stays tripped.
        #expect(trips[7] == trip && trips[8] == trip && monitor.trip == trip)
    }

    @Test func aRateAtTheFloorIsNotUnderIt() {
        var monitor = GuardrailMonitor(Guardrails(minSuccessRate: .percent(90), floorFor: .seconds(2)))
        #expect(feed(&monitor, failing(0...5, failed: 10)).allSatisfy { $0 == nil })
    }

    @Test func aFractionalFloorRoundsUp() {
        let monitor = GuardrailMonitor(Guardrails(minSuccessRate: .percent(90), floorFor: .ms(2_500)))
        #expect(monitor.floorSeconds == 3)
        #expect(GuardrailMonitor(Guardrails(minSuccessRate: .percent(90), floorFor: .seconds(0))).floorSeconds == 1)
    }

    @Test func theP99CeilingNeedsThreeSecondsInARow() {
        var monitor = GuardrailMonitor(Guardrails(maxP99: .ms(500)))
        let p99s: [Double] = [600, 700, 400, 600, 0, 800, 650, 100]
        let seconds = p99s.enumerated().map { index, p99 in
            p99 == 0 ? silent(index) : DrillSecond(second: index, sent: 10, succeeded: 10, p99: p99)
        }
        let trips = feed(&monitor, seconds)
        #expect(trips[0..<6].allSatisfy { $0 == nil })
        #expect(trips[6]?.rule == "max-p99")
        #expect(trips[6]?.second == 6)
        #expect(trips[6]?.message == "p99 over 500ms for 3 consecutive seconds from second 3 (worst 800 ms)")
    }

    @Test func noGuardrailsNeverTrip() {
        var monitor = GuardrailMonitor(Guardrails())
        #expect(feed(&monitor, failing(0...30, failed: 100, p99: 60_000)).allSatisfy { $0 == nil })
    }
}
