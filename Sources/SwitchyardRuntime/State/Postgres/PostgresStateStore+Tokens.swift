import Foundation
import Logging
import PostgresNIO

extension PostgresStateStore {
    @discardableResult
    public func createToken(name: String, role: TokenRole, hash: String, now: Date) async throws(StateStoreError) -> TokenRecord {
        try await write("creating token \(name)") { db, logger in
            if try await db.exists("SELECT 1 FROM api_tokens WHERE name = \(name)", logger: logger) {
                throw StateStoreError.tokenExists(name: name)
            }
            try await db.query("INSERT INTO api_tokens (name, role, hash, created_at) VALUES (\(name), \(role.rawValue), \(hash), \(now))", logger: logger)
            return TokenRecord(name: name, role: role, hash: hash, createdAt: now)
        }
    }

    @discardableResult
    public func revokeToken(name: String) async throws(StateStoreError) -> Bool {
        try await write("revoking token \(name)") { db, logger in
            try await db.changes("DELETE FROM api_tokens WHERE name = \(name) RETURNING 1", logger: logger) > 0
        }
    }

    public func tokens() async throws(StateStoreError) -> [TokenRecord] {
        try await read("reading tokens") { db, logger in
            try await db.rows("SELECT * FROM api_tokens ORDER BY name", logger: logger).map { row throws(StateStoreError) in try Self.token(from: row) }
        }
    }

    public func token(hash: String) async throws(StateStoreError) -> TokenRecord? {
        try await read("reading a token") { db, logger in
            try await db.row("SELECT * FROM api_tokens WHERE hash = \(hash)", logger: logger).map { row throws(StateStoreError) in try Self.token(from: row) }
        }
    }

    static func token(from row: PostgresRandomAccessRow) throws(StateStoreError) -> TokenRecord {
        let t = "api_tokens"
        return TokenRecord(name: try row.value("name", in: t), role: try row.raw("role", in: t), hash: try row.value("hash", in: t),
                           createdAt: try row.value("created_at", in: t))
    }
}
