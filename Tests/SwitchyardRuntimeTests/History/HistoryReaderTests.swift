import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

struct HistoryReaderTests {
    @Test func readsACSVFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).csv").path
        try Data("timestamp,qps\n2026-01-01 00:00:00,10\n2026-01-02 00:00:00,20\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (series, summary) = try CSVHistoryReader.read(path: path)
        #expect(series.values == [10, 20])
        #expect(summary.rows == 2)
    }

    /// A 2 GB file (sparse: 1 MB of rows, then zero bytes) fails at the first line that is not a
    /// row, read a chunk at a time: it is never held in memory.
    @Test func aTwoGigabyteFileFailsAtItsLineWithoutReadingItIntoMemory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "timestamp,qps\n"
        var rows = 0
        while text.utf8.count < 1_000_000 { text += "\(1_700_000_000 + rows * 60),\(rows % 97)\n"; rows += 1 }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        let before = Self.maxRSS()
        var described = "no error"
        do { _ = try CSVHistoryReader.read(path: path) } catch { described = error.description }
        #expect(described.hasPrefix("\(path):\(rows + 2): line longer than 4096 bytes"), "got: \(described)")
        #expect(Self.maxRSS() - before < 200 << 20)
    }

    static func maxRSS() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    @Test func aMissingFileIsNamed() {
        #expect {
            try CSVHistoryReader.read(path: "/nonexistent/history.csv")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/history.csv: cannot read the file")
        }
    }

    @Test func decodesAPrometheusMatrixAndSumsSeries() throws {
        let body = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"zone":"a"},"values":[[1700000000,"10"],[1700000300,"12.5"]]},
          {"metric":{"zone":"b"},"values":[[1700000000,"5"],[1700000300,"NaN"]]}]}}
        """
        let points = try PrometheusHistoryClient.decode(body: Data(body.utf8), status: 200, source: "prom")
        #expect(points.count == 3)
        #expect(points.reduce(0) { $0 + $1.1 } == 27.5)
    }

    @Test func aPrometheusErrorIsReported() {
        let body = #"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#
        #expect {
            try PrometheusHistoryClient.decode(body: Data(body.utf8), status: 400, source: "http://prom:9090")
        } throws: { error in
            "\(error)" == "http://prom:9090: HTTP 400: bad_data: parse error at char 5"
        }
    }

    @Test func anUnreachableBackendIsAClearError() async {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let client = PrometheusHistoryClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(1))
        await #expect {
            _ = try await client.rangeQuery("sum(rate(requests_total[5m]))", start: 1_700_000_000, end: 1_700_086_400, step: 300)
        } throws: { error in
            "\(error)".hasPrefix("http://127.0.0.1:1: cannot reach the metrics backend")
        }
    }
}
