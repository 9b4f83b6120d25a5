import Foundation
import GRDB
import SwitchyardCore

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

    public func recordCapacityReport(plan: String, report: ForecastReport, at: Date) async throws(StateStoreError) {
        let body = try JSONText(encoding: report)
        try await write("recording a capacity report") { db in
            try db.execute(sql: "INSERT INTO capacity_reports (plan, computed_at, body) VALUES (?, ?, ?)", arguments: [plan, at, body.text])
            // Reports are large (the chart's points): keep the newest five of each plan.
            try db.execute(sql: """
                DELETE FROM capacity_reports WHERE plan = ? AND id NOT IN
                    (SELECT id FROM capacity_reports WHERE plan = ? ORDER BY computed_at DESC, id DESC LIMIT 5)
                """, arguments: [plan, plan])
        }
    }

    public func latestCapacityReport(plan: String) async throws(StateStoreError) -> (at: Date, report: ForecastReport)? {
        let found: (Date, String)? = try await read("reading capacity reports") { db in
            let row = try Row.fetchOne(db, sql: "SELECT computed_at, body FROM capacity_reports WHERE plan = ? ORDER BY computed_at DESC, id DESC LIMIT 1",
                                       arguments: [plan])
            guard let row else { return nil }
            return (try row.value("computed_at", in: "capacity_reports"), try row.value("body", in: "capacity_reports"))
        }
        guard let (at, body) = found else { return nil }
        return (at, try JSONText(text: body).decode(ForecastReport.self))
    }
}
