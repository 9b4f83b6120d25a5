import Foundation
import Testing
import SwitchyardTesting

/// The built `yard`: a forecast without a playbook takes its per-instance QPS from --service-capacity, else from the
/// latest `yard load --find-capacity` of --service kept in the folder's state, and says which it used.
@Suite(.serialized) struct YardForecastProcessTests {
    /// Three days of five-minute QPS with a daily cycle.
    static func folderWithHistory() throws -> URL {
        let folder = try YardExitStatusProcessTests.emptyFolder()
        var csv = "timestamp,qps\n"
        let start = 1_780_000_200.0
        for i in 0..<(3 * 288) {
            let t = start + Double(i) * 300
            let qps = 40 + 25 * sin(2 * Double.pi * Double(i % 288) / 288) + Double(i % 7)
            csv += "\(Int(t)),\(String(format: "%.1f", qps))\n"
        }
        try Data(csv.utf8).write(to: folder.appendingPathComponent("qps.csv"))
        return folder
    }

    @Test func withoutACapacityOrAMeasurementTheErrorSaysHowToMeasureOne() async throws {
        let folder = try Self.folderWithHistory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await ProcessRunner.run("yard", ["forecast", "--csv", "qps.csv", "--horizon", "1d", "--service", "api"], in: folder)
        #expect(result.status != 0, "\(result.out)")
        #expect(result.err.contains("--service-capacity (QPS one instance serves) is required: no measurement of service api"), "\(result.err)")
        #expect(result.err.contains("yard load --find-capacity --service api"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".yard").path), "a forecast created state")
    }

    /// `yard-gateway --max-concurrent 2` answering in 10 × 50 ms holds about 4 QPS at p99 ≤ 1 s.
    @Test func theLatestMeasurementOfTheServiceIsThePerInstanceQPS() async throws {
        let folder = try Self.folderWithHistory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await GatewayProcess.with(["--max-concurrent", "2", "--tokens", "10", "--token-delay", "50ms"]) { gateway in
            let load = try await ProcessRunner.run("yard", [
                "load", "--find-capacity", "--target", gateway.baseURL, "--p99", "1s", "--from", "2", "--step", "2s",
                "--refinements", "1", "--request-tokens", "10", "--service", "api", "--quiet",
            ], in: folder)
            #expect(load.status == 0, "\(load.out)\n\(load.err)")
        }
        let result = try await ProcessRunner.run("yard", ["forecast", "--csv", "qps.csv", "--horizon", "1d", "--service", "api", "--json"], in: folder)
        #expect(result.status == 0, "\(result.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "\(result.out)")
        let input = try #require((report["capacity"] as? [String: Any])?["input"] as? [String: Any], "\(report.keys)")
        let qps = try #require(input["perInstanceQPS"] as? Double)
        #expect(qps > 2 && qps < 6, "measured \(qps) QPS")
        #expect((input["perInstanceBasis"] as? String)?.hasPrefix("measured by yard load --find-capacity on http://127.0.0.1:") == true, "\(input)")

        let given = try await ProcessRunner.run("yard", ["forecast", "--csv", "qps.csv", "--horizon", "1d", "--service-capacity", "50"], in: folder)
        #expect(given.status == 0, "\(given.err)")
        #expect(given.out.contains("50 QPS per instance") && !given.out.contains("find-capacity"), "\(given.out)")
    }
}
