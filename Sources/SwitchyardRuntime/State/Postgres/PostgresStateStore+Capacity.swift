import Foundation
import Logging
import PostgresNIO
import SwitchyardCore

extension PostgresStateStore {
    public func recordCapacityMeasurement(_ measurement: CapacityMeasurement) async throws(StateStoreError) {
        let body = try JSONText(encoding: measurement)
        try await write("recording a capacity measurement") { db, logger in
            try await db.query("""
                INSERT INTO capacity_measurements (service, measured_at, qps, body)
                VALUES (\(measurement.service), \(measurement.measuredAt), \(measurement.qps), \(body.text))
                """, logger: logger)
        }
    }

    public func latestCapacityMeasurement(service: String) async throws(StateStoreError) -> CapacityMeasurement? {
        let text: String? = try await read("reading capacity measurements") { db, logger in
            try await db.row("SELECT body FROM capacity_measurements WHERE service = \(service) ORDER BY measured_at DESC, id DESC LIMIT 1",
                             logger: logger)?.value("body", in: "capacity_measurements", as: String.self)
        }
        return try text.map { text throws(StateStoreError) in try JSONText(text: text).decode(CapacityMeasurement.self) }
    }

    public func recordCapacityReport(plan: String, report: ForecastReport, at: Date) async throws(StateStoreError) {
        let body = try JSONText(encoding: report)
        try await write("recording a capacity report") { db, logger in
            try await db.query("INSERT INTO capacity_reports (plan, computed_at, body) VALUES (\(plan), \(at), \(body.text))", logger: logger)
            // Reports are large (the chart's points): keep the newest five of each plan.
            try await db.query("""
                DELETE FROM capacity_reports WHERE plan = \(plan) AND id NOT IN
                    (SELECT id FROM capacity_reports WHERE plan = \(plan) ORDER BY computed_at DESC, id DESC LIMIT 5)
                """, logger: logger)
        }
    }

    public func latestCapacityReport(plan: String) async throws(StateStoreError) -> (at: Date, report: ForecastReport)? {
        let found: CapacityRow? = try await read("reading capacity reports") { db, logger in
            let row = try await db.row("""
                SELECT computed_at, body FROM capacity_reports WHERE plan = \(plan) ORDER BY computed_at DESC, id DESC LIMIT 1
                """, logger: logger)
            guard let row else { return nil }
            return CapacityRow(at: try row.value("computed_at", in: "capacity_reports"), body: try row.value("body", in: "capacity_reports"))
        }
        guard let found else { return nil }
        return (found.at, try JSONText(text: found.body).decode(ForecastReport.self))
    }

    private struct CapacityRow: Sendable {
        var at: Date
        var body: String
    }
}
