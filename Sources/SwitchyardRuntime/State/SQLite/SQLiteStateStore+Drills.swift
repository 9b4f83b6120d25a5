import Foundation
import GRDB

extension SQLiteStateStore {
    public func createDrillRun(id: String, playbook: String, status: String, now: Date) async throws(StateStoreError) -> DrillRunRecord {
        try await write("creating drill run \(id)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM drill_runs WHERE id = ?", arguments: [id]) == true {
                throw StateStoreError.drillRunExists(id: id)
            }
            try db.execute(sql: "INSERT INTO drill_runs (id, playbook, status, started_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, playbook, status, now, now])
            return DrillRunRecord(id: id, playbook: playbook, status: status, startedAt: now, updatedAt: now, finishedAt: nil, report: nil)
        }
    }

    @discardableResult
    public func updateDrillRun(id: String, status: String, report: JSONText?, finished: Bool, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> DrillRunRecord {
        try await write("updating drill run \(id)") { db in
            _ = try Self.checkFences(db, fences)
            try db.execute(sql: """
                UPDATE drill_runs SET status = ?, report = COALESCE(?, report), updated_at = ?,
                       finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE finished_at END
                WHERE id = ?
                """, arguments: [status, report?.text, now, finished, now, id])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM drill_runs WHERE id = ?", arguments: [id]) else {
                throw StateStoreError.drillRunNotFound(id: id)
            }
            return try Self.drillRun(from: row)
        }
    }

    public func drillRun(id: String) async throws(StateStoreError) -> DrillRunRecord? {
        try await read("reading drill run \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM drill_runs WHERE id = ?", arguments: [id]).map(Self.drillRun(from:))
        }
    }

    public func listDrillRuns(playbook: String?, limit: Int) async throws(StateStoreError) -> [DrillRunRecord] {
        try await read("listing drill runs") { db in
            let rows: [Row]
            if let playbook {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM drill_runs WHERE playbook = ? ORDER BY started_at DESC, rowid DESC LIMIT ?",
                                        arguments: [playbook, max(0, limit)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM drill_runs ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [max(0, limit)])
            }
            return try rows.map(Self.drillRun(from:))
        }
    }

    @discardableResult
    public func requestDrillAbort(id: String, reason: String, now: Date) async throws(StateStoreError) -> DrillRunRecord? {
        try await write("asking drill run \(id) to stop") { db in
            try db.execute(sql: """
                UPDATE drill_runs SET abort_requested_at = COALESCE(abort_requested_at, ?), abort_reason = COALESCE(abort_reason, ?)
                WHERE id = ? AND finished_at IS NULL
                """, arguments: [now, reason, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM drill_runs WHERE id = ?", arguments: [id]).map(Self.drillRun(from:))
        }
    }

    public func unfinishedDrillRuns() async throws(StateStoreError) -> [DrillRunRecord] {
        try await read("listing unfinished drill runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM drill_runs WHERE finished_at IS NULL ORDER BY started_at, rowid").map(Self.drillRun(from:))
        }
    }

    @discardableResult
    public func appendRestoreAction(run: String, action: JSONText, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> RestoreAction {
        try await write("journaling a restore action for drill run \(run)") { db in
            _ = try Self.checkFences(db, fences)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM drill_runs WHERE id = ?", arguments: [run]) == true else {
                throw StateStoreError.drillRunNotFound(id: run)
            }
            let sequence = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM restore_actions WHERE run_id = ?", arguments: [run]) ?? 0) + 1
            try db.execute(sql: "INSERT INTO restore_actions (run_id, sequence, action, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [run, sequence, action.text, now])
            return RestoreAction(run: run, sequence: sequence, action: action, createdAt: now, doneAt: nil)
        }
    }

    @discardableResult
    public func markRestoreDone(run: String, sequence: Int, now: Date) async throws(StateStoreError) -> RestoreAction {
        try await write("marking restore action #\(sequence) of drill run \(run) done") { db in
            try db.execute(sql: "UPDATE restore_actions SET done_at = COALESCE(done_at, ?) WHERE run_id = ? AND sequence = ?",
                           arguments: [now, run, sequence])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM restore_actions WHERE run_id = ? AND sequence = ?", arguments: [run, sequence]) else {
                throw StateStoreError.restoreActionNotFound(run: run, sequence: sequence)
            }
            return try Self.restoreAction(from: row)
        }
    }

    public func pendingRestoreActions(run: String?) async throws(StateStoreError) -> [RestoreAction] {
        try await read("listing pending restore actions") { db in
            let rows: [Row]
            if let run {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM restore_actions WHERE run_id = ? AND done_at IS NULL ORDER BY sequence", arguments: [run])
            } else {
                rows = try Row.fetchAll(db, sql: """
                    SELECT restore_actions.* FROM restore_actions JOIN drill_runs ON drill_runs.id = restore_actions.run_id
                    WHERE restore_actions.done_at IS NULL
                    ORDER BY drill_runs.started_at, drill_runs.rowid, restore_actions.sequence
                    """)
            }
            return try rows.map(Self.restoreAction(from:))
        }
    }

    static func drillRun(from row: Row) throws(StateStoreError) -> DrillRunRecord {
        let t = "drill_runs"
        return DrillRunRecord(id: try row.value("id", in: t), playbook: try row.value("playbook", in: t), status: try row.value("status", in: t),
                              startedAt: try row.value("started_at", in: t), updatedAt: try row.value("updated_at", in: t),
                              finishedAt: try row.optional("finished_at", in: t), report: try row.optionalJSON("report", in: t),
                              abortRequest: try Self.abortRequest(row))
    }

    static func abortRequest(_ row: Row) throws(StateStoreError) -> DrillAbortRequest? {
        let t = "drill_runs"
        guard let at: Date = try row.optional("abort_requested_at", in: t) else { return nil }
        return DrillAbortRequest(at: at, reason: try row.optional("abort_reason", in: t, as: String.self) ?? "aborted")
    }

    static func restoreAction(from row: Row) throws(StateStoreError) -> RestoreAction {
        let t = "restore_actions"
        return RestoreAction(run: try row.value("run_id", in: t), sequence: try row.value("sequence", in: t), action: try row.json("action", in: t),
                             createdAt: try row.value("created_at", in: t), doneAt: try row.optional("done_at", in: t))
    }
}
