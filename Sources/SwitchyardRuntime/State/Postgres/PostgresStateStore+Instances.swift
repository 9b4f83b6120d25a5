import Foundation
import Logging
import PostgresNIO
import SwitchyardCore

extension PostgresStateStore {
    public func recordInstanceStarted(_ record: InstanceRecord) async throws(StateStoreError) {
        let command = try JSONText(encoding: record.command)
        let id = record.id
        try await write("recording instance \(id)") { db, logger in
            try await db.query("""
                UPDATE instances SET stopped_at = \(record.startedAt)
                WHERE service = \(id.service) AND zone = \(id.zone) AND slot = \(id.slot.rawValue) AND idx = \(id.index) AND stopped_at IS NULL
                """, logger: logger)
            try await db.query("""
                INSERT INTO instances (service, zone, slot, idx, port, pid, version, command, started_at, stopped_at)
                VALUES (\(id.service), \(id.zone), \(id.slot.rawValue), \(id.index), \(id.port), \(record.pid), \(record.version), \(command.text),
                        \(record.startedAt), \(record.stoppedAt))
                """, logger: logger)
        }
    }

    @discardableResult
    public func markInstanceStopped(_ id: InstanceID, now: Date) async throws(StateStoreError) -> Bool {
        try await write("marking instance \(id) stopped") { db, logger in
            try await db.changes("""
                UPDATE instances SET stopped_at = \(now)
                WHERE service = \(id.service) AND zone = \(id.zone) AND slot = \(id.slot.rawValue) AND idx = \(id.index) AND stopped_at IS NULL
                RETURNING 1
                """, logger: logger) > 0
        }
    }

    public func liveInstances(service: String, slot: Slot?) async throws(StateStoreError) -> [InstanceRecord] {
        try await read("listing the instances of \(service)") { db, logger in
            let rows: [PostgresRandomAccessRow]
            if let slot {
                rows = try await db.rows("""
                    SELECT * FROM instances WHERE service = \(service) AND slot = \(slot.rawValue) AND stopped_at IS NULL ORDER BY zone, slot, idx
                    """, logger: logger)
            } else {
                rows = try await db.rows("SELECT * FROM instances WHERE service = \(service) AND stopped_at IS NULL ORDER BY zone, slot, idx",
                                         logger: logger)
            }
            return try rows.map(Self.instance(from:))
        }
    }

    @discardableResult
    public func removeInstance(_ id: InstanceID) async throws(StateStoreError) -> Int {
        try await write("removing instance \(id)") { db, logger in
            try await db.changes("""
                DELETE FROM instances WHERE service = \(id.service) AND zone = \(id.zone) AND slot = \(id.slot.rawValue) AND idx = \(id.index)
                RETURNING 1
                """, logger: logger)
        }
    }

    static func instance(from row: PostgresRandomAccessRow) throws(StateStoreError) -> InstanceRecord {
        let t = "instances"
        let id = InstanceID(service: try row.value("service", in: t), zone: try row.value("zone", in: t), slot: try row.raw("slot", in: t),
                            index: try row.value("idx", in: t), port: try row.value("port", in: t))
        return InstanceRecord(id: id, pid: try row.value("pid", in: t), version: try row.value("version", in: t),
                              command: try row.json("command", in: t).decode([String].self),
                              startedAt: try row.value("started_at", in: t), stoppedAt: try row.optional("stopped_at", in: t))
    }
}
