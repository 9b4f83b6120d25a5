import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    public func createToken(name: String, role: TokenRole, hash: String, now: Date) async throws(StateStoreError) -> TokenRecord {
        try await write("creating token \(name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE name = ?", arguments: [name]) == true {
                throw StateStoreError.tokenExists(name: name)
            }
            try db.execute(sql: "INSERT INTO api_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, role.rawValue, hash, now])
            return TokenRecord(name: name, role: role, hash: hash, createdAt: now)
        }
    }

    @discardableResult
    public func revokeToken(name: String) async throws(StateStoreError) -> Bool {
        try await write("revoking token \(name)") { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    public func tokens() async throws(StateStoreError) -> [TokenRecord] {
        try await read("reading tokens") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY name").map { row throws(StateStoreError) in try Self.token(from: row) }
        }
    }

    public func token(hash: String) async throws(StateStoreError) -> TokenRecord? {
        try await read("reading a token") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_tokens WHERE hash = ?", arguments: [hash]).map { row throws(StateStoreError) in
                try Self.token(from: row)
            }
        }
    }

    static func token(from row: Row) throws(StateStoreError) -> TokenRecord {
        let t = "api_tokens"
        return TokenRecord(name: try row.value("name", in: t), role: try row.raw("role", in: t), hash: try row.value("hash", in: t),
                           createdAt: try row.value("created_at", in: t))
    }
}
