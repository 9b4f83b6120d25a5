import Foundation
import GRDB
import SwitchyardCore

extension SQLiteStateStore {
    public func recordInstanceStarted(_ record: InstanceRecord) async throws(StateStoreError) {
        let command = try JSONText(encoding: record.command)
        let id = record.id
        try await write("recording instance \(id)") { db in
            try db.execute(sql: """
                UPDATE instances SET stopped_at = ?
                WHERE service = ? AND zone = ? AND slot = ? AND idx = ? AND stopped_at IS NULL
                """, arguments: [record.startedAt, id.service, id.zone, id.slot.rawValue, id.index])
            try db.execute(sql: """
                INSERT INTO instances (service, zone, slot, idx, port, pid, version, command, started_at, stopped_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id.service, id.zone, id.slot.rawValue, id.index, id.port, record.pid, record.version, command.text,
                                 record.startedAt, record.stoppedAt])
        }
    }

    @discardableResult
    public func markInstanceStopped(_ id: InstanceID, now: Date) async throws(StateStoreError) -> Bool {
        try await write("marking instance \(id) stopped") { db in
            try db.execute(sql: """
                UPDATE instances SET stopped_at = ?
                WHERE service = ? AND zone = ? AND slot = ? AND idx = ? AND stopped_at IS NULL
                """, arguments: [now, id.service, id.zone, id.slot.rawValue, id.index])
            return db.changesCount > 0
        }
    }

    public func liveInstances(service: String, slot: Slot?) async throws(StateStoreError) -> [InstanceRecord] {
        try await read("listing the instances of \(service)") { db in
            let rows: [Row]
            if let slot {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM instances WHERE service = ? AND slot = ? AND stopped_at IS NULL ORDER BY zone, slot, idx",
                                        arguments: [service, slot.rawValue])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM instances WHERE service = ? AND stopped_at IS NULL ORDER BY zone, slot, idx",
                                        arguments: [service])
            }
            return try rows.map(Self.instance(from:))
        }
    }

    @discardableResult
    public func removeInstance(_ id: InstanceID) async throws(StateStoreError) -> Int {
        try await write("removing instance \(id)") { db in
            try db.execute(sql: "DELETE FROM instances WHERE service = ? AND zone = ? AND slot = ? AND idx = ?",
                           arguments: [id.service, id.zone, id.slot.rawValue, id.index])
            return db.changesCount
        }
    }

    static func instance(from row: Row) throws(StateStoreError) -> InstanceRecord {
        let t = "instances"
        let id = InstanceID(service: try row.value("service", in: t), zone: try row.value("zone", in: t), slot: try row.raw("slot", in: t),
                            index: try row.value("idx", in: t), port: try row.value("port", in: t))
        return InstanceRecord(id: id, pid: try row.value("pid", in: t), version: try row.value("version", in: t),
                              command: try row.json("command", in: t).decode([String].self),
                              startedAt: try row.value("started_at", in: t), stoppedAt: try row.optional("stopped_at", in: t))
    }
}
