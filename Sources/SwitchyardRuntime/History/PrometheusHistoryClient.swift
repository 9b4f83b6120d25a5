import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardCore

/// Reads a history from the Prometheus HTTP API (`/api/v1/query_range`), in chunks of at most
/// 10,000 steps (Prometheus refuses more than 11,000 points per series). Several series in the
/// result are summed per timestamp: write `sum(...)` to make that explicit. Timestamps are Unix
/// seconds, so the history's wall clock is UTC.
public struct PrometheusHistoryClient: Sendable {
    public var baseURL: String
    public var timeout: TimeAmount
    let client: HTTPClient

    public init(baseURL: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.timeout = timeout
    }

    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64, progress: (String) -> Void = { _ in }) async throws(HistoryError) -> QPSSeries {
        guard step > 0, end > start else { throw .backend(source: baseURL, message: "empty range: start \(start), end \(end), step \(step)s") }
        var sums: [Int64: Double] = [:]
        let chunk = step * 10_000
        var from = start
        while from < end {
            let to = min(end, from + chunk - step)
            progress("prometheus: \(CivilTime.format(seconds: from)) .. \(CivilTime.format(seconds: to))")
            for (t, v) in try await fetch(query, start: from, end: to, step: step) { sums[t, default: 0] += v }
            from = to + step
        }
        guard !sums.isEmpty else {
            throw .backend(source: baseURL, message: "the query \(query) returned no samples from \(CivilTime.format(seconds: start)) to "
                           + "\(CivilTime.format(seconds: end)) UTC: check the metric's name and labels, and how far back the history goes (since)")
        }
        let times = sums.keys.sorted()
        return QPSSeries(times: times, values: times.map { sums[$0]! })
    }

    func fetch(_ query: String, start: Int64, end: Int64, step: Int64) async throws(HistoryError) -> [(Int64, Double)] {
        var components = URLComponents(string: baseURL + "/api/v1/query_range")
        components?.queryItems = [
            URLQueryItem(name: "query", value: query), URLQueryItem(name: "start", value: String(start)),
            URLQueryItem(name: "end", value: String(end)), URLQueryItem(name: "step", value: "\(step)s"),
        ]
        guard let url = components?.url?.absoluteString, components?.scheme == "http" || components?.scheme == "https" else {
            throw .backend(source: baseURL, message: "not an http(s) URL; expected e.g. http://prometheus:9090")
        }
        let body: ByteBuffer
        let status: UInt
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
            status = response.status.code
            body = try await response.body.collect(upTo: 256 << 20)
        } catch {
            throw .unreachable(source: baseURL, reason: "\(error)")
        }
        return try Self.decode(body: Data(body.readableBytesView), status: status, source: baseURL)
    }

    struct Envelope: Decodable {
        struct Payload: Decodable {
            struct Series: Decodable { var values: [[Value]] }
            var resultType: String
            var result: [Series]
        }
        enum Value: Decodable {
            case number(Double), text(String)
            init(from decoder: any Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .text(try c.decode(String.self)) }
            }
            var double: Double? {
                switch self {
                case .number(let d): d
                case .text(let s): Double(s)
                }
            }
        }
        var status: String
        var data: Payload?
        var errorType: String?
        var error: String?
    }

    /// Decodes a `query_range` answer (pure; tested without a server).
    static func decode(body: Data, status: UInt, source: String) throws(HistoryError) -> [(Int64, Double)] {
        let envelope: Envelope
        do { envelope = try JSONDecoder().decode(Envelope.self, from: body) } catch {
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
            throw .backend(source: source, message: "HTTP \(status): not a Prometheus API answer: \(snippet)")
        }
        guard envelope.status == "success", let data = envelope.data else {
            throw .backend(source: source, message: "HTTP \(status): \(envelope.errorType ?? "error"): \(envelope.error ?? "no message")")
        }
        guard data.resultType == "matrix" else {
            throw .backend(source: source, message: "expected a range vector (matrix), got \(data.resultType)")
        }
        var out: [(Int64, Double)] = []
        for series in data.result {
            for pair in series.values where pair.count == 2 {
                guard let t = pair[0].double, let v = pair[1].double, v.isFinite else { continue }
                out.append((Int64(t.rounded(.down)), max(0, v)))
            }
        }
        return out
    }
}
