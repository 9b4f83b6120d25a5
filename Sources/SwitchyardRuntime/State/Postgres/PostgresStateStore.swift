import Foundation
import Logging
import PostgresNIO

/// The state store in a PostgreSQL database, shared by several daemons and the CLI: the same tables as
/// `SQLiteStateStore` (`PostgresSchema`) and the same semantics for every method.
///
/// Every write runs in one transaction that first takes a transaction-scoped advisory lock (`writerLock`), so writes
/// are serial across every process on the database, as SQLite's IMMEDIATE transactions are across processes on a
/// file: a read-then-write (a lock, a generation, a sequence number) cannot interleave with another writer. Every
/// call has a deadline (`operationTimeout`): a server that is gone or does not answer fails the call with
/// `.unreachable` naming host:port, never hangs it.
public final class PostgresStateStore: StateStore {
    /// The key of the advisory lock every write transaction holds ("yard" in ASCII).
    static let writerLock: Int64 = 0x7961_7264

    public let location: PostgresLocation
    public let operationTimeout: Duration
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    private init(location: PostgresLocation, client: PostgresClient, operationTimeout: Duration, logger: Logger) {
        self.location = location
        self.client = client
        self.operationTimeout = operationTimeout
        self.logger = logger
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// How long the server waits for the next statement of an open transaction before it ends the session.
    public static let abandonedTransactionTimeout: Duration = .seconds(2)

    /// Connects (once, to name an unreachable server or a refused login at once), then migrates the schema.
    public static func open(_ location: PostgresLocation, connectTimeout: Duration = .seconds(5), operationTimeout: Duration = .seconds(15),
                            logger: Logger = Logger(label: "switchyard-state-postgres")) async throws(StateStoreError) -> PostgresStateStore {
        try await probe(location, timeout: connectTimeout, logger: logger)
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: location.password, database: location.database, tls: .disable)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = 8
        // A client frozen (SIGSTOP) or cut off inside a write transaction holds the writer lock, and with it every
        // daemon's writes, a standby's takeover included: the server ends such a session after this long.
        configuration.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", "\(abandonedTransactionTimeout.components.seconds * 1000)")]
        let store = PostgresStateStore(location: location, client: PostgresClient(configuration: configuration), operationTimeout: operationTimeout,
                                       logger: logger)
        try await store.migrate()
        return store
    }

    /// One connection, closed again: a refused connection, an unknown host, a wrong password or database fail here with
    /// the server's own words.
    private static func probe(_ location: PostgresLocation, timeout: Duration, logger: Logger) async throws(StateStoreError) {
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: .disable)
        configuration.options.connectTimeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
        let settings = configuration
        do {
            let connection = try await Deadline.run(timeout, server: location.server, operation: "connecting") {
                try await PostgresConnection.connect(configuration: settings, id: 1, logger: logger)
            }
            try? await connection.close()
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw .unreachable(server: location.server, reason: PostgresErrorReason.text(error))
        }
    }

    private func migrate() async throws(StateStoreError) {
        let known = PostgresSchema.migrations.map(\.identifier)
        let location = self.location
        try await write("migrating the state database") { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: PostgresSchema.bookkeeping), logger: logger)
            var applied = Set<String>()
            for row in try await connection.rows("SELECT identifier FROM schema_migrations", logger: logger) {
                applied.insert(try row.value("identifier", in: "schema_migrations", as: String.self))
            }
            if !applied.isSubset(of: known) {
                throw StateStoreError.newerSchema(path: location.display, applied: applied.sorted(), known: known)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                // One statement per query: the extended protocol postgres-nio speaks takes no more.
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))", logger: logger)
            }
        }
    }

    // MARK: access

    /// One write transaction, serial with every other writer on the database.
    func write<T: Sendable>(_ operation: String,
                            _ updates: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) async throws(StateStoreError) -> T {
        let client = self.client, logger = self.logger
        return try await run(operation) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writerLock))", logger: logger)
                return try await updates(connection, logger)
            }
        }
    }

    /// Reads in one transaction (a snapshot across its statements).
    func read<T: Sendable>(_ operation: String,
                           _ value: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) async throws(StateStoreError) -> T {
        let client = self.client, logger = self.logger
        return try await run(operation) {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
                return try await value(connection, logger)
            }
        }
    }

    private func run<T: Sendable>(_ operation: String, _ body: @escaping @Sendable () async throws -> T) async throws(StateStoreError) -> T {
        do {
            return try await Deadline.run(operationTimeout, server: location.server, operation: operation, body)
        } catch let error as StateStoreError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? StateStoreError { throw closure }
            throw translate(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error, operation: operation)
        } catch {
            throw translate(error, operation: operation)
        }
    }

    func translate(_ error: any Error, operation: String) -> StateStoreError {
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                return .database(path: location.display, operation: operation, reason: error.serverInfo?[.message] ?? "\(error.code)")
            default:
                return .unreachable(server: location.server, reason: PostgresErrorReason.text(error))
            }
        }
        if error is CancellationError { return .database(path: location.display, operation: operation, reason: "cancelled") }
        return .database(path: location.display, operation: operation, reason: PostgresErrorReason.text(error))
    }
}
