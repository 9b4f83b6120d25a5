import Foundation
import GRDB
import SwitchyardCore

extension SQLiteStateStore {
    public func createRelease(_ new: NewRelease, journal drafts: [JournalDraft], now: Date) async throws(StateStoreError) -> ReleaseRecord {
        let machine = try JSONText(encoding: new.machine)
        let plan = new.machine.plan
        let record = ReleaseRecord(id: new.id, service: plan.service, topology: plan.topology, version: plan.version,
                                   startedBy: new.startedBy, machine: new.machine, phase: new.machine.phase,
                                   outcome: new.machine.outcome, reason: new.machine.reason, createdAt: now, updatedAt: now,
                                   finishedAt: new.machine.phase.isTerminal ? now : nil)
        try await write("creating release \(new.id)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM releases WHERE id = ?", arguments: [new.id]) == true {
                throw StateStoreError.releaseExists(id: new.id)
            }
            try db.execute(sql: """
                INSERT INTO releases (id, service, topology, version, started_by, machine, phase, outcome, reason,
                                      created_at, updated_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, record.service, record.topology, record.version, record.startedBy, machine.text,
                                 record.phase.rawValue, record.outcome?.rawValue, record.reason, now, now, record.finishedAt])
            _ = try Self.appendJournal(db, release: new.id, drafts, now: now)
        }
        return record
    }

    @discardableResult
    public func saveRelease(id: String, machine: ReleaseMachine, journal drafts: [JournalDraft], routing: RoutingCommit?, fences: [LeaseFence],
                            now: Date) async throws(StateStoreError) -> [JournalEntry] {
        let snapshot = try JSONText(encoding: machine)
        return try await write("saving release \(id)") { db in
            _ = try Self.checkFences(db, fences)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM releases WHERE id = ?", arguments: [id]) == true else {
                throw StateStoreError.releaseNotFound(id: id)
            }
            try db.execute(sql: """
                UPDATE releases SET machine = ?, phase = ?, outcome = ?, reason = ?, updated_at = ?,
                       finished_at = COALESCE(finished_at, ?)
                WHERE id = ?
                """, arguments: [snapshot.text, machine.phase.rawValue, machine.outcome?.rawValue, machine.reason, now,
                                 machine.phase.isTerminal ? now : nil, id])
            if let routing { try Self.commitRouting(db, routing, now: now) }
            return try Self.appendJournal(db, release: id, drafts, now: now)
        }
    }

    public func release(id: String) async throws(StateStoreError) -> ReleaseRecord? {
        try await read("reading release \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM releases WHERE id = ?", arguments: [id]).map(Self.release(from:))
        }
    }

    public func listReleases(_ query: ReleaseQuery) async throws(StateStoreError) -> [ReleaseRecord] {
        try await read("listing releases") { db in
            let rows: [Row]
            if let service = query.service {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM releases WHERE service = ? ORDER BY created_at DESC, rowid DESC LIMIT ?",
                                        arguments: [service, max(0, query.limit)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM releases ORDER BY created_at DESC, rowid DESC LIMIT ?",
                                        arguments: [max(0, query.limit)])
            }
            return try rows.map(Self.release(from:))
        }
    }

    public func unfinishedReleases() async throws(StateStoreError) -> [ReleaseRecord] {
        try await read("listing unfinished releases") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM releases WHERE finished_at IS NULL ORDER BY created_at, rowid")
                .map(Self.release(from:))
        }
    }

    static func release(from row: Row) throws(StateStoreError) -> ReleaseRecord {
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
