import Foundation
import Logging
import PostgresNIO

extension PostgresStateStore {
    @discardableResult
    public func appendJournal(release: String, _ drafts: [JournalDraft], fences: [LeaseFence], now: Date) async throws(StateStoreError) -> [JournalEntry] {
        try await write("appending to the journal of release \(release)") { db, logger in
            _ = try await Self.checkFences(db, logger, fences)
            guard try await db.exists("SELECT 1 FROM releases WHERE id = \(release)", logger: logger) else {
                throw StateStoreError.releaseNotFound(id: release)
            }
            return try await Self.appendJournal(db, logger, release: release, drafts, now: now)
        }
    }

    public func journal(release: String) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the journal of release \(release)") { db, logger in
            try await db.rows("SELECT * FROM journal_entries WHERE release_id = \(release) ORDER BY sequence", logger: logger)
                .map(Self.journalEntry(from:))
        }
    }

    public func journal(release: String, after: Int) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the journal of release \(release)") { db, logger in
            try await db.rows("SELECT * FROM journal_entries WHERE release_id = \(release) AND sequence > \(after) ORDER BY sequence", logger: logger)
                .map(Self.journalEntry(from:))
        }
    }

    public func pendingActions(release: String) async throws(StateStoreError) -> [JournalEntry] {
        try await read("reading the pending actions of release \(release)") { db, logger in
            try await db.rows("""
                SELECT * FROM journal_entries AS started
                WHERE started.release_id = \(release) AND started.kind = 'action' AND started.status = 'started'
                  AND NOT EXISTS (SELECT 1 FROM journal_entries AS completion
                                  WHERE completion.release_id = started.release_id AND completion.completes = started.sequence)
                ORDER BY started.sequence
                """, logger: logger).map(Self.journalEntry(from:))
        }
    }

    /// Appends inside the caller's transaction, checking each completion against the entry it completes.
    static func appendJournal(_ db: PostgresConnection, _ logger: Logger, release: String, _ drafts: [JournalDraft], now: Date) async throws -> [JournalEntry] {
        let last = try await db.row("SELECT MAX(sequence) AS last FROM journal_entries WHERE release_id = \(release)", logger: logger)
        var next = (try last?.optional("last", in: "journal_entries", as: Int.self) ?? 0) + 1
        var entries: [JournalEntry] = []
        for draft in drafts {
            var payload = draft.payload
            if let completes = draft.completes {
                guard let started = try await db.row("SELECT * FROM journal_entries WHERE release_id = \(release) AND sequence = \(completes)",
                                                     logger: logger).map(journalEntry(from:)) else {
                    throw StateStoreError.journalEntryNotFound(release: release, sequence: completes)
                }
                guard started.kind == .action, started.status == .started, draft.kind == .action, draft.status != .started else {
                    throw StateStoreError.notAStartedAction(release: release, sequence: completes)
                }
                if try await db.exists("SELECT 1 FROM journal_entries WHERE release_id = \(release) AND completes = \(completes)", logger: logger) {
                    throw StateStoreError.actionAlreadyCompleted(release: release, sequence: completes)
                }
                payload = payload ?? started.payload
            }
            let entry = JournalEntry(release: release, sequence: next, at: now, kind: draft.kind, status: draft.status,
                                     payload: payload, message: draft.message, completes: draft.completes)
            try await db.query("""
                INSERT INTO journal_entries (release_id, sequence, at, kind, status, payload, message, completes)
                VALUES (\(release), \(entry.sequence), \(now), \(entry.kind.rawValue), \(entry.status.rawValue), \(entry.payload?.text),
                        \(entry.message), \(entry.completes))
                """, logger: logger)
            entries.append(entry)
            next += 1
        }
        return entries
    }

    static func journalEntry(from row: PostgresRandomAccessRow) throws(StateStoreError) -> JournalEntry {
        let t = "journal_entries"
        return JournalEntry(release: try row.value("release_id", in: t), sequence: try row.value("sequence", in: t),
                            at: try row.value("at", in: t), kind: try row.raw("kind", in: t), status: try row.raw("status", in: t),
                            payload: try row.optionalJSON("payload", in: t), message: try row.value("message", in: t),
                            completes: try row.optional("completes", in: t))
    }
}
