import Foundation
import GRDB
import SwitchyardCore

extension SQLiteStateStore {
    public func commitRouting(service: String, live: Routing, versions: [Slot: String], now: Date) async throws(StateStoreError) {
        try await write("committing the routing of \(service)") { db in
            try Self.commitRouting(db, RoutingCommit(service: service, live: live, versions: versions), now: now)
        }
    }

    static func commitRouting(_ db: Database, _ commit: RoutingCommit, now: Date) throws {
        for (zone, slot) in commit.live.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: """
                INSERT INTO routes (service, zone, slot, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (service, zone) DO UPDATE SET slot = excluded.slot, updated_at = excluded.updated_at
                """, arguments: [commit.service, zone, slot.rawValue, now])
        }
        for (slot, version) in commit.versions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try db.execute(sql: """
                INSERT INTO slot_versions (service, slot, version, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (service, slot) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
                """, arguments: [commit.service, slot.rawValue, version, now])
        }
    }

    public func routing(service: String) async throws(StateStoreError) -> ServiceRouting? {
        try await read("reading the routing of \(service)") { db in
            let routes = try Row.fetchAll(db, sql: "SELECT * FROM routes WHERE service = ?", arguments: [service])
            let versions = try Row.fetchAll(db, sql: "SELECT * FROM slot_versions WHERE service = ?", arguments: [service])
            if routes.isEmpty && versions.isEmpty { return nil }
            var result = ServiceRouting(service: service, live: [:], versions: [:], updatedAt: .distantPast)
            for row in routes {
                result.live[try row.value("zone", in: "routes")] = try row.raw("slot", in: "routes", as: Slot.self)
                result.updatedAt = max(result.updatedAt, try row.value("updated_at", in: "routes"))
            }
            for row in versions {
                result.versions[try row.raw("slot", in: "slot_versions", as: Slot.self)] = try row.value("version", in: "slot_versions")
                result.updatedAt = max(result.updatedAt, try row.value("updated_at", in: "slot_versions"))
            }
            return result
        }
    }

    public func recordLoadBalancer(name: String, masterPID: Int32, now: Date) async throws(StateStoreError) {
        try await write("recording load balancer \(name)") { db in
            try db.execute(sql: """
                INSERT INTO load_balancers (name, master_pid, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET master_pid = excluded.master_pid, updated_at = excluded.updated_at
                """, arguments: [name, masterPID, now])
        }
    }

    public func loadBalancer(name: String) async throws(StateStoreError) -> LoadBalancerRecord? {
        try await read("reading load balancer \(name)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM load_balancers WHERE name = ?", arguments: [name]).map { row throws(StateStoreError) in
                LoadBalancerRecord(name: try row.value("name", in: "load_balancers"), masterPID: try row.value("master_pid", in: "load_balancers"),
                                   updatedAt: try row.value("updated_at", in: "load_balancers"))
            }
        }
    }

    @discardableResult
    public func removeLoadBalancer(name: String) async throws(StateStoreError) -> Bool {
        try await write("removing load balancer \(name)") { db in
            try db.execute(sql: "DELETE FROM load_balancers WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }
}
