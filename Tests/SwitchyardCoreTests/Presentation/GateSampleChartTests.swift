import Testing
@testable import SwitchyardCore

/// The gate chart on a release's dashboard page: one dot per measurement, coloured by phase, with the message as its
/// tooltip, a line through the values when the gate measures one, and a scale even when every value is zero.
struct GateSampleChartTests {
    @Test func everyMeasurementIsOneDotOfItsPhaseAndTheValuesAreALine() {
        let points = [
            GateSampleChart.Point(phase: "pass", value: 0.01, message: "1.0% <b>"),
            GateSampleChart.Point(phase: "fail", value: 0.2, message: "20%"),
            GateSampleChart.Point(phase: "error", value: nil, message: "scrape failed"),
            GateSampleChart.Point(phase: "inconclusive", value: 0, message: "no requests"),
        ]
        let svg = GateSampleChart.svg(points, title: "errors")
        #expect(svg.components(separatedBy: "<circle class=\"sample ").count - 1 == 4)
        #expect(svg.contains("class=\"sample fail\"") && svg.contains("fill=\"#b91c1c\""))
        #expect(svg.contains("1.0% &lt;b&gt;"), "messages are escaped")
        // Two values, a gap for the error, one more value: two path pieces.
        let path = svg.components(separatedBy: "<path d=\"")[1].components(separatedBy: "\"")[0]
        #expect(path.filter { $0 == "M" }.count == 2)
        #expect(path.filter { $0 == "L" }.count == 1)
        #expect(svg.contains(">0.25<"), "the scale's top is a round figure above the highest value")
    }

    @Test func aGateWithoutValuesIsARowOfDotsAndAllZeroStillHasAScale() {
        let checks = GateSampleChart.svg([GateSampleChart.Point(phase: "pass", value: nil, message: "200")], title: "ready")
        #expect(!checks.contains("<path"))
        #expect(checks.contains("class=\"sample pass\""))
        let zeros = GateSampleChart.svg([GateSampleChart.Point(phase: "pass", value: 0, message: "0%"), GateSampleChart.Point(phase: "pass", value: 0, message: "0%")], title: "errors")
        #expect(zeros.contains(">1<"))
    }
}
