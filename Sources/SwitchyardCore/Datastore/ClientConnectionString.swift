/// The connection string a datastore's clients use, in libpq's URI form, several hosts allowed:
/// `postgresql://USER[:PASSWORD]@HOST1:PORT1,HOST2:PORT2/DATABASE?target_session_attrs=read-write&connect_timeout=2`.
/// A client tries the hosts in order and keeps the first that accepts writes (`read-write`) or answers at all (`any`).
public struct ClientConnectionString: Sendable, Hashable, Encodable, CustomStringConvertible {
    public enum TargetSessionAttrs: String, Sendable, Hashable, Encodable, CaseIterable {
        case any
        case readWrite = "read-write"
    }

    public var user: String
    public var password: String?
    public var hosts: [HostPort]
    public var database: String
    public var targetSessionAttrs: TargetSessionAttrs
    /// libpq's `connect_timeout`, in seconds, per host.
    public var connectTimeout: Int

    /// The parameters read; any other is refused (it would be silently ignored).
    public static let parameters = ["target_session_attrs", "connect_timeout"]

    public init(user: String, password: String? = nil, hosts: [HostPort], database: String, targetSessionAttrs: TargetSessionAttrs = .readWrite,
                connectTimeout: Int = 2) {
        self.user = user
        self.password = password
        self.hosts = hosts
        self.database = database
        self.targetSessionAttrs = targetSessionAttrs
        self.connectTimeout = connectTimeout
    }

    /// Parses the URI form; the failure says what is wrong in words.
    public static func parse(_ text: String) -> Result<ClientConnectionString, ParseFailure> {
        let expected = "postgresql://USER@HOST:PORT[,HOST:PORT…]/DATABASE?target_session_attrs=read-write"
        guard let scheme = ["postgresql://", "postgres://"].first(where: text.hasPrefix) else { return .failure(ParseFailure("expected \(expected)")) }
        var rest = Substring(text.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") { query = rest[rest.index(after: mark)...]; rest = rest[..<mark] }
        guard let slash = rest.firstIndex(of: "/") else { return .failure(ParseFailure("no database after the hosts (\(expected))")) }
        let database = String(rest[rest.index(after: slash)...])
        var authority = rest[..<slash]
        guard !database.isEmpty, !database.contains("/") else { return .failure(ParseFailure("no database after the hosts (\(expected))")) }
        guard let at = authority.lastIndex(of: "@") else { return .failure(ParseFailure("no user before the hosts (\(expected))")) }
        let userInfo = authority[..<at]
        authority = authority[authority.index(after: at)...]
        let userParts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let user = percentDecoded(userParts[0])
        guard !user.isEmpty else { return .failure(ParseFailure("no user before the hosts (\(expected))")) }
        let password = userParts.count > 1 ? percentDecoded(userParts[1]) : nil
        var hosts: [HostPort] = []
        for item in authority.split(separator: ",", omittingEmptySubsequences: false) {
            let withPort = item.contains(":") && !(item.hasPrefix("[") && item.hasSuffix("]")) ? String(item) : "\(item):5432"
            guard let host = HostPort(parsing: withPort), HostPort.isSafeHost(host.host) else {
                return .failure(ParseFailure("\"\(item)\" is not a host or host:port"))
            }
            hosts.append(host)
        }
        var attrs = TargetSessionAttrs.any, timeout = 2
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(kv[0]), value = kv.count > 1 ? percentDecoded(kv[1]) : ""
            switch key {
            case "target_session_attrs":
                guard let parsed = TargetSessionAttrs(rawValue: value) else {
                    return .failure(ParseFailure("target_session_attrs must be one of \(TargetSessionAttrs.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(value)\""))
                }
                attrs = parsed
            case "connect_timeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else {
                    return .failure(ParseFailure("connect_timeout must be whole seconds from 1 to 600, got \"\(value)\""))
                }
                timeout = seconds
            default:
                return .failure(ParseFailure("unknown parameter \(key) (known: \(parameters.joined(separator: ", ")))"))
            }
        }
        return .success(ClientConnectionString(user: user, password: password, hosts: hosts, database: database, targetSessionAttrs: attrs,
                                               connectTimeout: timeout))
    }

    public struct ParseFailure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The string without its password: what reports and messages show.
    public var description: String {
        let hostList = hosts.map { $0.host.contains(":") ? "[\($0.host)]:\($0.port)" : "\($0.host):\($0.port)" }.joined(separator: ",")
        return "postgresql://\(user)\(password == nil ? "" : ":***")@\(hostList)/\(database)?target_session_attrs=\(targetSessionAttrs.rawValue)&connect_timeout=\(connectTimeout)"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let a = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), a != utf8.endIndex,
               let b = utf8.index(a, offsetBy: 1, limitedBy: utf8.endIndex), b != utf8.endIndex,
               let value = UInt8(String(decoding: [utf8[a], utf8[b]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = utf8.index(after: b)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
