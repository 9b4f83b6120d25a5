import Foundation
import Logging
import PostgresNIO
import SwitchyardCore

extension PostgresStateStore {
    public func createRelease(_ new: NewRelease, journal drafts: [JournalDraft], now: Date) async throws(StateStoreError) -> ReleaseRecord {
        let machine = try JSONText(encoding: new.machine)
        let plan = new.machine.plan
        let record = ReleaseRecord(id: new.id, service: plan.service, topology: plan.topology, version: plan.version,
                                   startedBy: new.startedBy, machine: new.machine, phase: new.machine.phase,
                                   outcome: new.machine.outcome, reason: new.machine.reason, createdAt: now, updatedAt: now,
                                   finishedAt: new.machine.phase.isTerminal ? now : nil)
        try await write("creating release \(new.id)") { db, logger in
            if try await db.exists("SELECT 1 FROM releases WHERE id = \(new.id)", logger: logger) {
                throw StateStoreError.releaseExists(id: new.id)
            }
            try await db.query("""
                INSERT INTO releases (id, service, topology, version, started_by, machine, phase, outcome, reason,
                                      created_at, updated_at, finished_at)
                VALUES (\(record.id), \(record.service), \(record.topology), \(record.version), \(record.startedBy), \(machine.text),
                        \(record.phase.rawValue), \(record.outcome?.rawValue), \(record.reason), \(now), \(now), \(record.finishedAt))
                """, logger: logger)
            _ = try await Self.appendJournal(db, logger, release: new.id, drafts, now: now)
        }
        return record
    }

    @discardableResult
    public func saveRelease(id: String, machine: ReleaseMachine, journal drafts: [JournalDraft], routing: RoutingCommit?, fences: [LeaseFence],
                            now: Date) async throws(StateStoreError) -> [JournalEntry] {
        let snapshot = try JSONText(encoding: machine)
        let finished: Date? = machine.phase.isTerminal ? now : nil
        return try await write("saving release \(id)") { db, logger in
            _ = try await Self.checkFences(db, logger, fences)
            guard try await db.exists("SELECT 1 FROM releases WHERE id = \(id)", logger: logger) else {
                throw StateStoreError.releaseNotFound(id: id)
            }
            try await db.query("""
                UPDATE releases SET machine = \(snapshot.text), phase = \(machine.phase.rawValue), outcome = \(machine.outcome?.rawValue),
                       reason = \(machine.reason), updated_at = \(now), finished_at = COALESCE(finished_at, \(finished))
                WHERE id = \(id)
                """, logger: logger)
            if let routing { try await Self.commitRouting(db, logger, routing, now: now) }
            return try await Self.appendJournal(db, logger, release: id, drafts, now: now)
        }
    }

    public func release(id: String) async throws(StateStoreError) -> ReleaseRecord? {
        try await read("reading release \(id)") { db, logger in
            try await db.row("SELECT * FROM releases WHERE id = \(id)", logger: logger).map(Self.release(from:))
        }
    }

    public func listReleases(_ query: ReleaseQuery) async throws(StateStoreError) -> [ReleaseRecord] {
        let limit = max(0, query.limit)
        return try await read("listing releases") { db, logger in
            let rows: [PostgresRandomAccessRow]
            if let service = query.service {
                rows = try await db.rows("SELECT * FROM releases WHERE service = \(service) ORDER BY created_at DESC, ord DESC LIMIT \(limit)",
                                         logger: logger)
            } else {
                rows = try await db.rows("SELECT * FROM releases ORDER BY created_at DESC, ord DESC LIMIT \(limit)", logger: logger)
            }
            return try rows.map(Self.release(from:))
        }
    }

    public func unfinishedReleases() async throws(StateStoreError) -> [ReleaseRecord] {
        try await read("listing unfinished releases") { db, logger in
            try await db.rows("SELECT * FROM releases WHERE finished_at IS NULL ORDER BY created_at, ord", logger: logger).map(Self.release(from:))
        }
    }

    static func release(from row: PostgresRandomAccessRow) throws(StateStoreError) -> ReleaseRecord {
        let t = "releases"
        return ReleaseRecord(
            id: try row.value("id", in: t), service: try row.value("service", in: t), topology: try row.value("topology", in: t),
            version: try row.value("version", in: t), startedBy: try row.value("started_by", in: t),
            machine: try row.json("machine", in: t).decode(ReleaseMachine.self),
            phase: try row.raw("phase", in: t), outcome: try row.optionalRaw("outcome", in: t), reason: try row.optional("reason", in: t),
            createdAt: try row.value("created_at", in: t), updatedAt: try row.value("updated_at", in: t),
            finishedAt: try row.optional("finished_at", in: t))
    }
}
