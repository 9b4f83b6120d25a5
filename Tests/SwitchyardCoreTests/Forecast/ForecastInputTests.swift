import Testing
@testable import SwitchyardCore

struct ForecastInputTests {
    static let timestamps: [(String, Int64?)] = [
        ("1970-01-02", 86_400),
        ("2026-11-11", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400),
        ("2026-11-11 09:30:15", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400 + 34_215),
        ("2026-11-11T09:30", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400 + 34_200),
        ("2026-11-11T09:30:15.250Z", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400 + 34_215),
        ("2026-11-11T09:30:00+08:00", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400 + 34_200 - 8 * 3_600),
        ("2026-11-11T09:30:00-0530", CivilTime.days(year: 2026, month: 11, day: 11) * 86_400 + 34_200 + 5 * 3_600 + 1_800),
        ("1731312000", 1_731_312_000),
        ("1731312000.75", 1_731_312_000),
        ("2026-02-30", nil),
        ("2026-11-11 25:00", nil),
        ("yesterday", nil),
        ("", nil),
    ]

    @Test(arguments: timestamps)
    func timestampFormats(text: String, expected: Int64?) {
        #expect(TimestampParser.parse(Substring(text)) == expected)
    }

    @Test func civilTimeRoundTripsAndKnowsWeekdays() {
        for day in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, d) = CivilTime.civil(days: day)
            #expect(CivilTime.days(year: y, month: m, day: d) == day)
        }
        #expect(CivilTime.weekday(seconds: 0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilTime.weekday(seconds: CivilTime.seconds(LocalDateTime(year: 2026, month: 11, day: 11))) == 3)  // a Wednesday
    }

    func parse(_ text: String) throws(HistoryError) -> (QPSSeries, CSVHistoryParser.Summary) {
        let result = try CSVHistoryParser.parse(Array(text.utf8), source: "h.csv")
        return (result.series, result.summary)
    }

    @Test func missingValuesAreSkippedAndCounted() throws {
        let (series, summary) = try parse("2026-01-01,1\r\n2026-01-02,\r\n2026-01-03,NaN\r\n# note\r\n\r\n2026-01-04,4\r\n")
        #expect(series.values == [1, 4])
        #expect(summary.missingSkipped == 2)
    }

    static let badFiles: [(String, String)] = [
        ("", "h.csv: no data points"),
        ("timestamp,qps\n", "h.csv: no data points"),
        ("timestamp,qps\n2026-01-01,5\n2026-01-02,abc\n", "h.csv:3: qps must be a number, got \"abc\""),
        ("2026-01-01,5\n2026-01-02,-3\n", "h.csv:2: qps must be 0 or more, got -3.0"),
        ("timestamp,qps\n2026-01-01,5\nsoon,6\n", "h.csv:3: timestamp must be"),
        ("timestamp,qps\n2026-01-01,5\n2026-01-02\n", "h.csv:3: expected `timestamp,qps`"),
    ]

    @Test(arguments: badFiles)
    func badFilesNameTheLine(text: String, message: String) {
        // do/catch rather than #expect(throws:): the message is what a person reads, so compare it.
        var described = "no error"
        do { _ = try parse(text) } catch { described = error.description }
        #expect(described.hasPrefix(message), "got: \(described)")
    }

    @Test func seriesKnowsItsStepAndGaps() {
        let times: [Int64] = [0, 3_600, 7_200, 10_800, 30 * 86_400, 30 * 86_400 + 3_600]
        let series = QPSSeries(times: times, values: times.map { _ in 1 })
        #expect(series.step == 3_600)
        #expect(series.gaps().count == 1)
        #expect(series.gaps()[0].length == 30 * 86_400 - 10_800)
    }
}
