import Foundation
import Logging
import PostgresNIO

extension PostgresStateStore {
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws(StateStoreError) -> AuditEntry {
        try await write("appending to the audit log") { db, logger in
            let row = try await db.row("""
                INSERT INTO audit_log (at, actor, action, target, outcome, detail)
                VALUES (\(entry.at), \(entry.actor), \(entry.action), \(entry.target), \(entry.outcome), \(entry.detail))
                RETURNING id
                """, logger: logger)
            guard let row else { throw StateStoreError.unreadableValue(table: "audit_log", column: "id", value: "no row") }
            var stored = entry
            stored.id = try row.value("id", in: "audit_log", as: Int64.self)
            return stored
        }
    }

    public func listAudit(limit: Int) async throws(StateStoreError) -> [AuditEntry] {
        let limit = max(0, limit)
        return try await read("reading the audit log") { db, logger in
            try await db.rows("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT \(limit)", logger: logger).map { row throws(StateStoreError) in
                let t = "audit_log"
                return AuditEntry(id: try row.value("id", in: t), at: try row.value("at", in: t), actor: try row.value("actor", in: t),
                                  action: try row.value("action", in: t), target: try row.value("target", in: t),
                                  outcome: try row.value("outcome", in: t), detail: try row.optional("detail", in: t))
            }
        }
    }
}
