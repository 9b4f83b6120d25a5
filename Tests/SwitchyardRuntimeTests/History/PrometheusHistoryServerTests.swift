import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// A capacity history read from a real Prometheus (not one Switchyard wrote): two weeks of a request counter per
/// zone, backfilled with promtool, read through `rate()` and `sum()` as a planner would write the query, then forecast.
@Suite(.serialized, .enabled(if: PrometheusServer.isAvailable || ProcessInfo.processInfo.environment["CI"] != nil,
                             "prometheus is not installed (apt-get install prometheus)"))
struct PrometheusHistoryServerTests {
    static let port = 30510
    static let step: Int64 = 60

    /// The per-zone QPS at `t`: 40 QPS at night, 120 in the afternoon (UTC), zone b carrying half of zone a.
    static func qps(_ t: Int64, zone: Int) -> Double {
        let hour = Double(t % 86_400) / 3_600
        return (80 - 40 * cos(2 * Double.pi * (hour - 3) / 24)) * (zone == 0 ? 1 : 0.5)
    }

    /// Counters sampled each minute from `start` to `end`, in OpenMetrics (timestamps in seconds).
    static func openMetrics(start: Int64, end: Int64) -> String {
        var text = "# HELP gateway_requests Requests answered.\n# TYPE gateway_requests counter\n"
        for (zone, name) in ["a", "b"].enumerated() {
            var total = 0.0
            var t = start
            while t <= end {
                total += qps(t, zone: zone) * Double(step)
                text += "gateway_requests_total{zone=\"\(name)\"} \(Int(total)) \(t)\n"
                t += step
            }
        }
        return text + "# EOF\n"
    }

    @Test func aRateSummedOverZonesIsReadAsTheHistoryAndForecast() async throws {
        let now = Int64(Date().timeIntervalSince1970) / Self.step * Self.step
        let start = now - 14 * 86_400
        try await PrometheusServer.with(port: Self.port, openMetrics: Self.openMetrics(start: start, end: now - Self.step)) { server in
            var lines: [String] = []
            let (series, source) = try await HistoryLoader.load(
                .prometheus(url: server.baseURL, query: "sum(rate(gateway_requests_total[5m]))", since: .hours(13 * 24), step: .minutes(5)),
                progress: { lines.append($0) })
            #expect(source == server.baseURL)
            #expect(lines.contains { $0.hasPrefix("prometheus: ") }, "\(lines)")
            // 13 days of 5-minute steps on the 5-minute grid, the last one a step before now.
            #expect(series.count == 13 * 288 + 1, "\(series.count) points")
            #expect(series.step == 300 && series.times.allSatisfy { $0 % 300 == 0 })
            #expect(series.last.map { $0 <= Int64(Date().timeIntervalSince1970) - 300 } == true)
            // The rate over the counters is the two zones' QPS (within a minute's sampling).
            var worst = (error: 0.0, at: Int64(0), got: 0.0)
            var off = 0
            for (t, v) in zip(series.times, series.values) {
                let expected = Self.qps(t, zone: 0) + Self.qps(t, zone: 1)
                let error = abs(v - expected) / expected
                if error > 0.05 { off += 1 }
                if error > worst.error { worst = (error, t, v) }
            }
            #expect(worst.error < 0.05, "worst relative error \(worst.error) at \((worst.at - start) / 60) min (\(worst.got) QPS), \(off) points off")

            let request = CapacityForecast.Request(name: "prometheus", series: series, source: source, events: [], target: nil,
                                                   horizonSeconds: 86_400, perInstanceQPS: 50, zones: ["a", "b"], replicasNow: [2, 2],
                                                   backtestFolds: 1, now: now + 60)
            let report = try CapacityForecast.run(request)
            // The afternoon peak of 180 QPS (120 + 60), forecast from a history whose every day has it.
            #expect(abs(report.peak.value - 180) / 180 < 0.1, "peak \(report.peak.value)")
            #expect(report.peak.lower80 <= 180 && report.peak.upper95 >= 180, "\(report.peak)")
        }
    }

    @Test func aQueryPrometheusRejectsIsItsOwnError() async throws {
        let now = Int64(Date().timeIntervalSince1970) / Self.step * Self.step
        try await PrometheusServer.with(port: Self.port, openMetrics: Self.openMetrics(start: now - 3_600, end: now - Self.step)) { server in
            await #expect {
                _ = try await HistoryLoader.load(.prometheus(url: server.baseURL, query: "sum(rate(gateway_requests_total[5m])", since: .hours(1), step: .minutes(1)))
            } throws: { error in
                let text = "\(error)"
                return text.contains(server.baseURL) && text.contains("parse error")
            }
            await #expect {
                _ = try await HistoryLoader.load(.prometheus(url: server.baseURL, query: "nothing_is_called_this", since: .hours(1), step: .minutes(1)))
            } throws: { error in
                "\(error)".contains("the query nothing_is_called_this returned no samples")
            }
        }
    }
}
