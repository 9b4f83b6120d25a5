import Logging
import NIOCore
import PostgresNIO
import SwitchyardCore

/// Single connections to one server of a datastore, as its clients' connection string says (user, password, database),
/// with a deadline: a server that is gone or frozen fails the call, never hangs it.
enum PostgresSession {
    static let logger = Logger(label: "switchyard-datastore")

    /// What a member is now, as it answers `pg_is_in_recovery()`.
    enum LiveRole: Sendable, Hashable {
        case primary, replica
        case down(String)
    }

    static func connect(_ address: HostPort, as clients: ClientConnectionString, timeout: Duration) async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(host: address.host, port: address.port, username: clients.user,
                                                             password: clients.password, database: clients.database, tls: .disable)
        configuration.options.connectTimeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
        let settings = configuration
        return try await Deadline.run(within: timeout) {
            try await PostgresConnection.connect(configuration: settings, id: 1, logger: logger)
        }
    }

    /// The one value of a query that returns one row of one column.
    static func value<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, on connection: PostgresConnection, as type: T.Type,
                                                       timeout: Duration) async throws -> T? {
        try await Deadline.run(within: timeout) {
            for try await value in try await connection.query(query, logger: logger).decode(T.self) { return value }
            return nil
        }
    }

    static func role(of address: HostPort, as clients: ClientConnectionString, timeout: Duration = .seconds(2)) async -> LiveRole {
        do {
            let connection = try await connect(address, as: clients, timeout: timeout)
            defer { close(connection) }
            guard let recovering = try await value("SELECT pg_is_in_recovery()", on: connection, as: Bool.self, timeout: timeout) else {
                return .down("no answer to pg_is_in_recovery()")
            }
            return recovering ? .replica : .primary
        } catch {
            return .down(PostgresErrorReason.text(error))
        }
    }

    /// Closes without waiting: a connection to a dead server may never finish closing.
    static func close(_ connection: PostgresConnection) {
        Task { try? await connection.close() }
    }
}
