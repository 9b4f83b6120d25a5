import Foundation
import GRDB

extension SQLiteStateStore {
    public func recordCapacityMeasurement(_ measurement: CapacityMeasurement) async throws(StateStoreError) {
        let body = try JSONText(encoding: measurement)
        try await write("recording a capacity measurement") { db in
            try db.execute(sql: "INSERT INTO capacity_measurements (service, measured_at, qps, body) VALUES (?, ?, ?, ?)",
                           arguments: [measurement.service, measurement.measuredAt, measurement.qps, body.text])
        }
    }

    public func latestCapacityMeasurement(service: String) async throws(StateStoreError) -> CapacityMeasurement? {
        let text: String? = try await read("reading capacity measurements") { db in
            try String.fetchOne(db, sql: "SELECT body FROM capacity_measurements WHERE service = ? ORDER BY measured_at DESC, id DESC LIMIT 1",
                                arguments: [service])
        }
        return try text.map { text throws(StateStoreError) in try JSONText(text: text).decode(CapacityMeasurement.self) }
    }
}
