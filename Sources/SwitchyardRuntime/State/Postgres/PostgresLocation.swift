import Foundation

/// Where a PostgreSQL state store lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgresql://`).
/// The password may also come from PGPASSWORD; it never appears in a message (`display` leaves it out).
public struct PostgresLocation: Sendable, Hashable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
    }

    /// True when `location` names a PostgreSQL server rather than a file.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; nil with a reason when it is not one Switchyard can use.
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<PostgresLocation, StateStoreError> {
        let refuse = { (reason: String) in Result<PostgresLocation, StateStoreError>.failure(.invalidLocation(location: redacted(text), reason: reason)) }
        guard isPostgres(text), let url = URLComponents(string: text) else {
            return refuse("expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard let host = url.host, !host.isEmpty else { return refuse("no host (postgres://USER@HOST:PORT/DATABASE)") }
        guard let user = url.user, !user.isEmpty else { return refuse("no user (postgres://USER@HOST:PORT/DATABASE)") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return refuse("no database name after the host (postgres://USER@HOST:PORT/DATABASE)") }
        let port = url.port ?? 5432
        guard (1...65535).contains(port) else { return refuse("port \(port) is out of range") }
        return .success(PostgresLocation(user: user.removingPercentEncoding ?? user,
                                         password: url.password?.removingPercentEncoding ?? environment["PGPASSWORD"],
                                         host: host, port: port, database: database))
    }

    /// `host:port`, as an error names the server.
    public var server: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL without the password: what messages and logs show.
    public var display: String { "postgres://\(user)@\(server)/\(database)" }

    static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }
}
