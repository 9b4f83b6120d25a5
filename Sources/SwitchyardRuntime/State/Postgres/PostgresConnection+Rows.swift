import Logging
import PostgresNIO

extension PostgresConnection {
    /// Every row of `query`, read whole.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    func row(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// Runs a statement that ends with `RETURNING 1`; returns how many rows it changed.
    func changes(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        try await rows(query, logger: logger).count
    }

    func exists(_ query: PostgresQuery, logger: Logger) async throws -> Bool {
        try await row(query, logger: logger) != nil
    }
}
