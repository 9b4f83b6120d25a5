import Foundation
import Logging
import PostgresNIO
import SwitchyardCore

extension PostgresStateStore {
    public func commitRouting(service: String, live: Routing, versions: [Slot: String], now: Date) async throws(StateStoreError) {
        try await write("committing the routing of \(service)") { db, logger in
            try await Self.commitRouting(db, logger, RoutingCommit(service: service, live: live, versions: versions), now: now)
        }
    }

    static func commitRouting(_ db: PostgresConnection, _ logger: Logger, _ commit: RoutingCommit, now: Date) async throws {
        for (zone, slot) in commit.live.sorted(by: { $0.key < $1.key }) {
            try await db.query("""
                INSERT INTO routes (service, zone, slot, updated_at) VALUES (\(commit.service), \(zone), \(slot.rawValue), \(now))
                ON CONFLICT (service, zone) DO UPDATE SET slot = excluded.slot, updated_at = excluded.updated_at
                """, logger: logger)
        }
        for (slot, version) in commit.versions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try await db.query("""
                INSERT INTO slot_versions (service, slot, version, updated_at) VALUES (\(commit.service), \(slot.rawValue), \(version), \(now))
                ON CONFLICT (service, slot) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    public func routing(service: String) async throws(StateStoreError) -> ServiceRouting? {
        try await read("reading the routing of \(service)") { db, logger in
            let routes = try await db.rows("SELECT * FROM routes WHERE service = \(service)", logger: logger)
            let versions = try await db.rows("SELECT * FROM slot_versions WHERE service = \(service)", logger: logger)
            if routes.isEmpty && versions.isEmpty { return nil }
            var result = ServiceRouting(service: service, live: [:], versions: [:], updatedAt: .distantPast)
            for row in routes {
                result.live[try row.value("zone", in: "routes", as: String.self)] = try row.raw("slot", in: "routes", as: Slot.self)
                result.updatedAt = max(result.updatedAt, try row.value("updated_at", in: "routes"))
            }
            for row in versions {
                result.versions[try row.raw("slot", in: "slot_versions", as: Slot.self)] = try row.value("version", in: "slot_versions", as: String.self)
                result.updatedAt = max(result.updatedAt, try row.value("updated_at", in: "slot_versions"))
            }
            return result
        }
    }

    public func recordLoadBalancer(name: String, masterPID: Int32, now: Date) async throws(StateStoreError) {
        try await write("recording load balancer \(name)") { db, logger in
            try await db.query("""
                INSERT INTO load_balancers (name, master_pid, updated_at) VALUES (\(name), \(masterPID), \(now))
                ON CONFLICT (name) DO UPDATE SET master_pid = excluded.master_pid, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    public func loadBalancer(name: String) async throws(StateStoreError) -> LoadBalancerRecord? {
        try await read("reading load balancer \(name)") { db, logger in
            try await db.row("SELECT * FROM load_balancers WHERE name = \(name)", logger: logger).map { row throws(StateStoreError) in
                LoadBalancerRecord(name: try row.value("name", in: "load_balancers"), masterPID: try row.value("master_pid", in: "load_balancers"),
                                   updatedAt: try row.value("updated_at", in: "load_balancers"))
            }
        }
    }

    @discardableResult
    public func removeLoadBalancer(name: String) async throws(StateStoreError) -> Bool {
        try await write("removing load balancer \(name)") { db, logger in
            try await db.changes("DELETE FROM load_balancers WHERE name = \(name) RETURNING 1", logger: logger) > 0
        }
    }
}
