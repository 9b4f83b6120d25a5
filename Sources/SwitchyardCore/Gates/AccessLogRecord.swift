import Foundation

/// One request as nginx's structured access log writes it (`NginxConfig.accessLogFormat`): a JSON
/// object per line. A request retried on another server has several attempts, in order; the last one
/// answered the user.
public struct AccessLogRecord: Sendable, Hashable {
    /// When nginx finished the request, seconds since 1970 (`$msec`).
    public var time: Double
    /// The listener's port (`$server_port`): the live or the preview listener.
    public var port: Int
    public var path: String
    /// What the user got (`$status`; 499 when the user went away first).
    public var status: Int
    /// Whole request as the user saw it, in seconds (`$request_time`).
    public var requestTime: Double
    public var bytes: Int
    public var attempts: [Attempt]

    /// One try of one upstream server.
    public struct Attempt: Sendable, Hashable {
        /// `host:port` of the server, as the upstream block names it.
        public var upstream: String
        /// Its status; nil when it gave none (`-`: the connection failed or the user left first).
        public var status: Int?
        /// Seconds to its response header (the first byte of the answer); nil when none came.
        public var headerTime: Double?

        public init(upstream: String, status: Int?, headerTime: Double?) {
            self.upstream = upstream
            self.status = status
            self.headerTime = headerTime
        }
    }

    public init(time: Double, port: Int, path: String, status: Int, requestTime: Double, bytes: Int, attempts: [Attempt]) {
        self.time = time
        self.port = port
        self.path = path
        self.status = status
        self.requestTime = requestTime
        self.bytes = bytes
        self.attempts = attempts
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private struct Line: Decodable {
        var t: Double
        var port: Int
        var uri: String
        var status: Int
        var requestTime: Double
        var bytes: Int
        var upstream: String
        var upstreamStatus: String
        var headerTime: String
    }

    /// Parses one line. Fields nginx writes as lists (`$upstream_addr` and its kin) are split on `, `
    /// (the next server) and ` : ` (an internal redirect to another upstream group).
    public static func parse(_ line: Substring) throws(ParseError) -> AccessLogRecord {
        let decoded: Line
        do {
            decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
        } catch let error as DecodingError {
            throw ParseError(reason: describe(error))
        } catch {
            throw ParseError(reason: "not JSON")
        }
        let addresses = split(decoded.upstream)
        let statuses = split(decoded.upstreamStatus)
        let headers = split(decoded.headerTime)
        var attempts: [Attempt] = []
        for (index, address) in addresses.enumerated() where address != "-" && !address.isEmpty {
            let status = index < statuses.count ? Int(statuses[index]) : nil
            let header = index < headers.count ? Double(headers[index]) : nil
            attempts.append(Attempt(upstream: address, status: status, headerTime: header))
        }
        return AccessLogRecord(time: decoded.t, port: decoded.port, path: decoded.uri, status: decoded.status,
                               requestTime: decoded.requestTime, bytes: decoded.bytes, attempts: attempts)
    }

    /// The time of a line without decoding it all (`{"t":1733100000.123,...`), to skip old lines fast.
    public static func time(of line: Substring) -> Double? {
        guard line.hasPrefix("{\"t\":") else { return nil }
        let rest = line.dropFirst(5)
        return Double(rest.prefix { $0 != "," })
    }

    static func split(_ field: String) -> [String] {
        field.replacingOccurrences(of: " : ", with: ", ").components(separatedBy: ", ").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "no field \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "field \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        case .dataCorrupted: "not JSON"
        @unknown default: "not a record"
        }
    }
}
