import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    public func appendJournal(release: String, _ drafts: [JournalDraft], fences: [LeaseFence], now: Date) async throws(StateStoreError) -> [JournalEntry] {
        try await write("appending to the journal of release \(release)") { db in
            _ = try Self.checkFences(db, fences)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM releases WHERE id = ?", arguments: [release]) == true else {
                throw StateStoreError.releaseNotFound(id: release)
            }
            return try Self.appendJournal(db, release: release, drafts, now: now)
        }
    }

    public func journal(release: String) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the journal of release \(release)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM journal_entries WHERE release_id = ? ORDER BY sequence", arguments: [release])
                .map(Self.journalEntry(from:))
        }
    }

    public func journal(release: String, after: Int) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the journal of release \(release)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM journal_entries WHERE release_id = ? AND sequence > ? ORDER BY sequence", arguments: [release, after])
                .map(Self.journalEntry(from:))
        }
    }

    public func pendingActions(release: String) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the pending actions of release \(release)") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM journal_entries AS started
                WHERE started.release_id = ? AND started.kind = 'action' AND started.status = 'started'
                  AND NOT EXISTS (SELECT 1 FROM journal_entries AS completion
                                  WHERE completion.release_id = started.release_id AND completion.completes = started.sequence)
                ORDER BY started.sequence
                """, arguments: [release]).map(Self.journalEntry(from:))
        }
    }

    /// Appends inside the caller's transaction, checking each completion against the entry it completes.
    static func appendJournal(_ db: Database, release: String, _ drafts: [JournalDraft], now: Date) throws -> [JournalEntry] {
        var next = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM journal_entries WHERE release_id = ?", arguments: [release]) ?? 0) + 1
        var entries: [JournalEntry] = []
        for draft in drafts {
            var payload = draft.payload
            if let completes = draft.completes {
                guard let started = try Row.fetchOne(db, sql: "SELECT * FROM journal_entries WHERE release_id = ? AND sequence = ?",
                                                     arguments: [release, completes]).map(journalEntry(from:)) else {
                    throw StateStoreError.journalEntryNotFound(release: release, sequence: completes)
                }
                guard started.kind == .action, started.status == .started, draft.kind == .action, draft.status != .started else {
                    throw StateStoreError.notAStartedAction(release: release, sequence: completes)
                }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM journal_entries WHERE release_id = ? AND completes = ?",
                                     arguments: [release, completes]) == true {
                    throw StateStoreError.actionAlreadyCompleted(release: release, sequence: completes)
                }
                payload = payload ?? started.payload
            }
            let entry = JournalEntry(release: release, sequence: next, at: now, kind: draft.kind, status: draft.status,
                                     payload: payload, message: draft.message, completes: draft.completes)
            try db.execute(sql: """
                INSERT INTO journal_entries (release_id, sequence, at, kind, status, payload, message, completes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [release, entry.sequence, now, entry.kind.rawValue, entry.status.rawValue, entry.payload?.text,
                                 entry.message, entry.completes])
            entries.append(entry)
            next += 1
        }
        return entries
    }

    static func journalEntry(from row: Row) throws(StateStoreError) -> JournalEntry {
        let t = "journal_entries"
        return JournalEntry(release: try row.value("release_id", in: t), sequence: try row.value("sequence", in: t),
                            at: try row.value("at", in: t), kind: try row.raw("kind", in: t), status: try row.raw("status", in: t),
                            payload: try row.optionalJSON("payload", in: t), message: try row.value("message", in: t),
                            completes: try row.optional("completes", in: t))
    }
}
