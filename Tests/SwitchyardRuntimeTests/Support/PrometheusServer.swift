import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus (Debian's `prometheus` package) on 127.0.0.1, with a history backfilled by `promtool tsdb
/// create-blocks-from openmetrics` and no scrape targets, killed (and its data removed) when the body returns or throws.
struct PrometheusServer {
    static var prometheus: String? { ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) } }
    static var promtool: String? { ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) } }
    static var isAvailable: Bool { prometheus != nil && promtool != nil }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `openMetrics`: the samples to backfill (OpenMetrics text ending in `# EOF`, timestamps in seconds).
    static func with<T>(port: Int, openMetrics: String, _ body: (PrometheusServer) async throws -> T) async throws -> T {
        guard let prometheus, let promtool else { throw Unavailable(description: "prometheus and promtool are not installed (apt-get install prometheus)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-prom-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("history.om")
        try Data(openMetrics.utf8).write(to: input)
        try Data("global:\n  scrape_interval: 1m\nscrape_configs: []\n".utf8).write(to: folder.appendingPathComponent("prometheus.yml"))

        let backfill = Process()
        backfill.executableURL = URL(fileURLWithPath: promtool)
        backfill.arguments = ["tsdb", "create-blocks-from", "openmetrics", input.path, folder.appendingPathComponent("data").path]
        let backfillLog = folder.appendingPathComponent("promtool.log")
        FileManager.default.createFile(atPath: backfillLog.path, contents: nil)
        let log = try FileHandle(forWritingTo: backfillLog)
        backfill.standardOutput = log
        backfill.standardError = log
        try backfill.run()
        backfill.waitUntilExit()
        try? log.close()
        guard backfill.terminationStatus == 0 else {
            throw Unavailable(description: "promtool failed: \((try? String(contentsOf: backfillLog, encoding: .utf8)) ?? "")")
        }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: prometheus)
        server.arguments = ["--config.file=\(folder.appendingPathComponent("prometheus.yml").path)",
                            "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                            "--storage.tsdb.retention.time=30d", "--web.listen-address=127.0.0.1:\(port)"]
        let serverLog = folder.appendingPathComponent("prometheus.log")
        FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        let serverHandle = try FileHandle(forWritingTo: serverLog)
        server.standardOutput = serverHandle
        server.standardError = serverHandle
        try server.run()
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
            try? serverHandle.close()
        }
        let running = PrometheusServer(port: port)
        let deadline = ContinuousClock.now + .seconds(30)
        while !(await running.isReady()) {
            guard server.isRunning, ContinuousClock.now < deadline else {
                throw Unavailable(description: "prometheus did not get ready on \(running.baseURL): \((try? String(contentsOf: serverLog, encoding: .utf8))?.suffix(800) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await body(running)
    }

    func isReady() async -> Bool {
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + "/-/ready"), timeout: .seconds(1)) else {
            return false
        }
        return response.status == .ok
    }
}
