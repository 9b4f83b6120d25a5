import AsyncHTTPClient
import NIOCore
import Foundation
import SwitchyardRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus (Debian's `prometheus` package) on 127.0.0.1: a history backfilled by `promtool tsdb
/// create-blocks-from openmetrics`, and/or targets scraped every second; killed (and its data removed) when the body
/// returns or throws.
struct PrometheusServer {
    static var prometheus: String? { ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) } }
    static var promtool: String? { ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) } }
    static var isAvailable: Bool { prometheus != nil && promtool != nil }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `openMetrics`: samples to backfill (OpenMetrics text ending in `# EOF`, timestamps in seconds);
    /// `scrape`: `host:port` targets of job `gateway`, scraped every second.
    static func with<T>(port: Int, openMetrics: String? = nil, scrape: [String] = [], _ body: (PrometheusServer) async throws -> T) async throws -> T {
        guard let prometheus, let promtool else { throw Unavailable(description: "prometheus and promtool are not installed (apt-get install prometheus)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-prom-\(UUID().uuidString.prefix(8))")
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        if scrape.isEmpty {
            config += "scrape_configs: []\n"
        } else {
            config += "scrape_configs:\n  - job_name: gateway\n    static_configs:\n      - targets: [\(scrape.map { "'\($0)'" }.joined(separator: ", "))]\n"
        }
        try Data(config.utf8).write(to: folder.appendingPathComponent("prometheus.yml"))
        if let openMetrics {
            let input = folder.appendingPathComponent("history.om")
            try Data(openMetrics.utf8).write(to: input)
            let backfill = try await Command.run([promtool, "tsdb", "create-blocks-from", "openmetrics", input.path, data.path])
            guard backfill.succeeded else { throw Unavailable(description: "promtool failed: \(backfill.output)") }
        }

        let server = Process()
        server.executableURL = URL(fileURLWithPath: prometheus)
        server.arguments = ["--config.file=\(folder.appendingPathComponent("prometheus.yml").path)", "--storage.tsdb.path=\(data.path)",
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

    /// Waits until the instant query `query` has a result (the scrapes it needs have happened).
    func waitForResult(_ query: String, timeout: Duration = .seconds(30)) async throws {
        var components = URLComponents(string: baseURL + "/api/v1/query")
        components?.queryItems = [URLQueryItem(name: "query", value: query)]
        let url = components?.url?.absoluteString ?? baseURL
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)),
               let body = try? await response.body.collect(upTo: 1 << 20), String(buffer: body).contains("\"value\"") {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Unavailable(description: "\(query) had no result on \(baseURL) within \(timeout)")
    }
}
