import Testing
@testable import SwitchyardCore

/// Each kind of bad history file fails with a message that names the line to fix.
struct CSVRejectionTests {
    static let files: [(String, String)] = [
        ("", "h.csv: no data points"),
        ("\n\n# only a comment\n", "h.csv: no data points"),
        ("timestamp,qps\n", "h.csv: no data points"),
        ("timestamp,qps\n2026-01-02,20\n2026-01-01,10\n", "h.csv:3: timestamp 2026-01-01 is earlier than line 2's: rows must be in time order"),
        ("timestamp,qps\n2026-01-01,10\n2026-01-02,20\n2026-01-02,21\n", "h.csv:4: timestamp 2026-01-02 repeats line 3"),
        ("timestamp,qps\n2026-01-01,10\n2026-01-01,\n", "h.csv:3: timestamp 2026-01-01 repeats line 2"),
        ("timestamp,qps\n2026-01-01,5\n2026-01-02,-3\n", "h.csv:3: qps must be 0 or more, got -3.0"),
        ("timestamp,value\n2026-01-01,5\n", "h.csv:1: the header must name a qps column after the timestamp"),
        ("time,requests,qps\n2026-01-01,5\n", "h.csv:2: expected `timestamp,qps`"),
        ("timestamp,qps\n" + String(repeating: "9", count: 5_000) + "\n", "h.csv:2: line longer than 4096 bytes"),
    ]

    @Test(arguments: files)
    func badFileNamesTheLine(text: String, message: String) {
        var described = "no error"
        do { _ = try CSVHistoryParser.parse(Array(text.utf8), source: "h.csv") } catch { described = error.description }
        #expect(described.hasPrefix(message), "got: \(described)")
    }

    @Test func theQPSColumnIsFoundByItsHeader() throws {
        let (series, _) = try CSVHistoryParser.parse(Array("time,requests,qps\n2026-01-01,500,5\n2026-01-02,700,7\n".utf8), source: "h.csv")
        #expect(series.values == [5, 7])
    }

    @Test func tooManyPointsIsAnErrorNotAnOutOfMemory() {
        var text = "timestamp,qps\n"
        for i in 0..<12 { text += "\(1_700_000_000 + i * 60),1\n" }
        var described = "no error"
        do { _ = try CSVHistoryParser.parse(Array(text.utf8), source: "h.csv", maximumPoints: 10) } catch { described = error.description }
        #expect(described.hasPrefix("h.csv:12: more than 10 points"), "got: \(described)")
    }

    @Test func linesMayStraddleChunks() throws {
        let text = Array("timestamp,qps\n2026-01-01,10\n2026-01-02,20\n2026-01-03,30".utf8)
        var parser = CSVHistoryParser(source: "h.csv")
        for start in stride(from: 0, to: text.count, by: 5) { try parser.consume(Array(text[start..<min(text.count, start + 5)])) }
        let (series, summary) = try parser.finish()
        #expect(series.values == [10, 20, 30])
        #expect(summary.rows == 3)
    }
}
