import Foundation
import Logging
import PostgresNIO
import SwitchyardCore

extension PostgresStateStore {
    public func scheduleState(playbook: String) async throws(StateStoreError) -> ScheduleState? {
        try await read("reading the schedule state of \(playbook)") { db, logger in
            guard let row = try await db.row("SELECT * FROM drill_schedules WHERE playbook = \(playbook)", logger: logger) else { return nil }
            let t = "drill_schedules"
            return ScheduleState(handledThrough: try row.optional("handled_through", in: t, as: Date.self),
                                 deferredFire: try row.optional("deferred_fire", in: t, as: Date.self))
        }
    }

    public func saveScheduleState(playbook: String, _ state: ScheduleState, now: Date) async throws(StateStoreError) {
        try await write("saving the schedule state of \(playbook)") { db, logger in
            try await db.query("""
                INSERT INTO drill_schedules (playbook, handled_through, deferred_fire, updated_at)
                VALUES (\(playbook), \(state.handledThrough), \(state.deferredFire), \(now))
                ON CONFLICT (playbook) DO UPDATE SET handled_through = excluded.handled_through,
                    deferred_fire = excluded.deferred_fire, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }
}
