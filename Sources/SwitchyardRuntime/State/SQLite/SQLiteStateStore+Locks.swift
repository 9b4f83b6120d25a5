import Foundation
import GRDB

extension SQLiteStateStore {
    @discardableResult
    public func acquireLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: name, lease: lease) }
        return try await write("acquiring lock \(name)") { db in
            // The IMMEDIATE transaction holds the database's write lock from here to commit: no other
            // process can read-then-write this row in between.
            let current = try Self.lease(db, name: name)
            var acquiredAt = now
            if let current {
                if current.holder != holder && !current.isExpired(at: now) {
                    throw StateStoreError.lockHeld(name: name, holder: current.holder, until: current.expiresAt)
                }
                if current.holder == holder && !current.isExpired(at: now) { acquiredAt = current.acquiredAt }
            }
            let result = LockLease(name: name, holder: holder, acquiredAt: acquiredAt, expiresAt: now.addingTimeInterval(lease.timeInterval))
            try Self.store(db, result)
            return result
        }
    }

    @discardableResult
    public func renewLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: name, lease: lease) }
        return try await write("renewing lock \(name)") { db in
            guard let current = try Self.lease(db, name: name), current.holder == holder else {
                throw StateStoreError.lockNotHeld(name: name, holder: holder, currentHolder: try Self.lease(db, name: name)?.holder)
            }
            let result = LockLease(name: name, holder: holder, acquiredAt: current.acquiredAt, expiresAt: now.addingTimeInterval(lease.timeInterval))
            try Self.store(db, result)
            return result
        }
    }

    @discardableResult
    public func releaseLock(name: String, holder: String) async throws(StateStoreError) -> Bool {
        try await write("releasing lock \(name)") { db in
            try db.execute(sql: "DELETE FROM locks WHERE name = ? AND holder = ?", arguments: [name, holder])
            return db.changesCount > 0
        }
    }

    public func lock(name: String) async throws(StateStoreError) -> LockLease? {
        try await read("reading lock \(name)") { db in try Self.lease(db, name: name) }
    }

    static func lease(_ db: Database, name: String) throws -> LockLease? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM locks WHERE name = ?", arguments: [name]) else { return nil }
        return LockLease(name: name, holder: try row.value("holder", in: "locks"), acquiredAt: try row.value("acquired_at", in: "locks"),
                         expiresAt: try row.value("expires_at", in: "locks"))
    }

    static func store(_ db: Database, _ lease: LockLease) throws {
        try db.execute(sql: """
            INSERT INTO locks (name, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
            """, arguments: [lease.name, lease.holder, lease.acquiredAt, lease.expiresAt])
    }
}
