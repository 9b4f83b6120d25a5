import Foundation
import Logging
import PostgresNIO

extension PostgresStateStore {
    public func createDrillRun(id: String, playbook: String, status: String, now: Date) async throws(StateStoreError) -> DrillRunRecord {
        try await write("creating drill run \(id)") { db, logger in
            if try await db.exists("SELECT 1 FROM drill_runs WHERE id = \(id)", logger: logger) {
                throw StateStoreError.drillRunExists(id: id)
            }
            try await db.query("""
                INSERT INTO drill_runs (id, playbook, status, started_at, updated_at) VALUES (\(id), \(playbook), \(status), \(now), \(now))
                """, logger: logger)
            return DrillRunRecord(id: id, playbook: playbook, status: status, startedAt: now, updatedAt: now, finishedAt: nil, report: nil)
        }
    }

    @discardableResult
    public func updateDrillRun(id: String, status: String, report: JSONText?, finished: Bool, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> DrillRunRecord {
        try await write("updating drill run \(id)") { db, logger in
            _ = try await Self.checkFences(db, logger, fences)
            try await db.query("""
                UPDATE drill_runs SET status = \(status), report = COALESCE(\(report?.text), report), updated_at = \(now),
                       finished_at = CASE WHEN \(finished) THEN COALESCE(finished_at, \(now)) ELSE finished_at END
                WHERE id = \(id)
                """, logger: logger)
            guard let row = try await db.row("SELECT * FROM drill_runs WHERE id = \(id)", logger: logger) else {
                throw StateStoreError.drillRunNotFound(id: id)
            }
            return try Self.drillRun(from: row)
        }
    }

    public func drillRun(id: String) async throws(StateStoreError) -> DrillRunRecord? {
        try await read("reading drill run \(id)") { db, logger in
            try await db.row("SELECT * FROM drill_runs WHERE id = \(id)", logger: logger).map(Self.drillRun(from:))
        }
    }

    public func listDrillRuns(playbook: String?, limit: Int) async throws(StateStoreError) -> [DrillRunRecord] {
        let limit = max(0, limit)
        return try await read("listing drill runs") { db, logger in
            let rows: [PostgresRandomAccessRow]
            if let playbook {
                rows = try await db.rows("SELECT * FROM drill_runs WHERE playbook = \(playbook) ORDER BY started_at DESC, ord DESC LIMIT \(limit)",
                                         logger: logger)
            } else {
                rows = try await db.rows("SELECT * FROM drill_runs ORDER BY started_at DESC, ord DESC LIMIT \(limit)", logger: logger)
            }
            return try rows.map(Self.drillRun(from:))
        }
    }

    @discardableResult
    public func requestDrillAbort(id: String, reason: String, now: Date) async throws(StateStoreError) -> DrillRunRecord? {
        try await write("asking drill run \(id) to stop") { db, logger in
            try await db.query("""
                UPDATE drill_runs SET abort_requested_at = COALESCE(abort_requested_at, \(now)), abort_reason = COALESCE(abort_reason, \(reason))
                WHERE id = \(id) AND finished_at IS NULL
                """, logger: logger)
            return try await db.row("SELECT * FROM drill_runs WHERE id = \(id)", logger: logger).map(Self.drillRun(from:))
        }
    }

    public func unfinishedDrillRuns() async throws(StateStoreError) -> [DrillRunRecord] {
        try await read("listing unfinished drill runs") { db, logger in
            try await db.rows("SELECT * FROM drill_runs WHERE finished_at IS NULL ORDER BY started_at, ord", logger: logger).map(Self.drillRun(from:))
        }
    }

    @discardableResult
    public func appendRestoreAction(run: String, action: JSONText, fences: [LeaseFence], now: Date) async throws(StateStoreError) -> RestoreAction {
        try await write("journaling a restore action for drill run \(run)") { db, logger in
            _ = try await Self.checkFences(db, logger, fences)
            guard try await db.exists("SELECT 1 FROM drill_runs WHERE id = \(run)", logger: logger) else {
                throw StateStoreError.drillRunNotFound(id: run)
            }
            let last = try await db.row("SELECT MAX(sequence) AS last FROM restore_actions WHERE run_id = \(run)", logger: logger)
            let sequence = (try last?.optional("last", in: "restore_actions", as: Int.self) ?? 0) + 1
            try await db.query("""
                INSERT INTO restore_actions (run_id, sequence, action, created_at) VALUES (\(run), \(sequence), \(action.text), \(now))
                """, logger: logger)
            return RestoreAction(run: run, sequence: sequence, action: action, createdAt: now, doneAt: nil)
        }
    }

    @discardableResult
    public func markRestoreDone(run: String, sequence: Int, now: Date) async throws(StateStoreError) -> RestoreAction {
        try await write("marking restore action #\(sequence) of drill run \(run) done") { db, logger in
            try await db.query("UPDATE restore_actions SET done_at = COALESCE(done_at, \(now)) WHERE run_id = \(run) AND sequence = \(sequence)",
                               logger: logger)
            guard let row = try await db.row("SELECT * FROM restore_actions WHERE run_id = \(run) AND sequence = \(sequence)", logger: logger) else {
                throw StateStoreError.restoreActionNotFound(run: run, sequence: sequence)
            }
            return try Self.restoreAction(from: row)
        }
    }

    public func pendingRestoreActions(run: String?) async throws(StateStoreError) -> [RestoreAction] {
        try await read("listing pending restore actions") { db, logger in
            let rows: [PostgresRandomAccessRow]
            if let run {
                rows = try await db.rows("SELECT * FROM restore_actions WHERE run_id = \(run) AND done_at IS NULL ORDER BY sequence", logger: logger)
            } else {
                rows = try await db.rows("""
                    SELECT restore_actions.* FROM restore_actions JOIN drill_runs ON drill_runs.id = restore_actions.run_id
                    WHERE restore_actions.done_at IS NULL
                    ORDER BY drill_runs.started_at, drill_runs.ord, restore_actions.sequence
                    """, logger: logger)
            }
            return try rows.map(Self.restoreAction(from:))
        }
    }

    static func drillRun(from row: PostgresRandomAccessRow) throws(StateStoreError) -> DrillRunRecord {
        let t = "drill_runs"
        return DrillRunRecord(id: try row.value("id", in: t), playbook: try row.value("playbook", in: t), status: try row.value("status", in: t),
                              startedAt: try row.value("started_at", in: t), updatedAt: try row.value("updated_at", in: t),
                              finishedAt: try row.optional("finished_at", in: t), report: try row.optionalJSON("report", in: t),
                              abortRequest: try Self.abortRequest(row))
    }

    static func abortRequest(_ row: PostgresRandomAccessRow) throws(StateStoreError) -> DrillAbortRequest? {
        let t = "drill_runs"
        guard let at: Date = try row.optional("abort_requested_at", in: t) else { return nil }
        return DrillAbortRequest(at: at, reason: try row.optional("abort_reason", in: t, as: String.self) ?? "aborted")
    }

    static func restoreAction(from row: PostgresRandomAccessRow) throws(StateStoreError) -> RestoreAction {
        let t = "restore_actions"
        return RestoreAction(run: try row.value("run_id", in: t), sequence: try row.value("sequence", in: t), action: try row.json("action", in: t),
                             createdAt: try row.value("created_at", in: t), doneAt: try row.optional("done_at", in: t))
    }
}
