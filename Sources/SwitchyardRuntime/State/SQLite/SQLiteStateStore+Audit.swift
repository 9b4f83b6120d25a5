import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws(StateStoreError) -> AuditEntry {
        try await write("appending to the audit log") { db in
            try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [entry.at, entry.actor, entry.action, entry.target, entry.outcome, entry.detail])
            var stored = entry
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func listAudit(limit: Int) async throws(StateStoreError) -> [AuditEntry] {
        try await read("reading the audit log") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?", arguments: [max(0, limit)])
                .map { row throws(StateStoreError) in
                    let t = "audit_log"
                    return AuditEntry(id: try row.value("id", in: t), at: try row.value("at", in: t), actor: try row.value("actor", in: t),
                                      action: try row.value("action", in: t), target: try row.value("target", in: t),
                                      outcome: try row.value("outcome", in: t), detail: try row.optional("detail", in: t))
                }
        }
    }
}
