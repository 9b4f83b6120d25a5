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
            if let current, current.holder != holder, !current.isExpired(at: now) {
                throw StateStoreError.lockHeld(name: name, holder: current.holder, until: current.expiresAt)
            }
            let result: LockLease
            if let current, current.holder == holder, !current.isExpired(at: now) {
                // The same holder renewing a live lease: the same generation.
                result = LockLease(name: name, holder: holder, acquiredAt: current.acquiredAt, expiresAt: now.addingTimeInterval(lease.seconds),
                                   generation: current.generation)
            } else {
                let generation = try Self.nextGeneration(db, name: name)
                result = LockLease(name: name, holder: holder, acquiredAt: now, expiresAt: now.addingTimeInterval(lease.seconds), generation: generation)
            }
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
            let result = LockLease(name: name, holder: holder, acquiredAt: current.acquiredAt, expiresAt: now.addingTimeInterval(lease.seconds),
                                   generation: current.generation)
            try Self.store(db, result)
            return result
        }
    }

    @discardableResult
    public func renewLock(_ fence: LeaseFence, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: fence.lock, lease: lease) }
        return try await write("renewing lock \(fence.lock)") { db in
            let current = try Self.checkFences(db, [fence]).first!
            let result = LockLease(name: fence.lock, holder: fence.holder, acquiredAt: current.acquiredAt,
                                   expiresAt: now.addingTimeInterval(lease.seconds), generation: fence.generation)
            try Self.store(db, result)
            return result
        }
    }

    public func checkFences(_ fences: [LeaseFence]) async throws(StateStoreError) {
        try await write("checking leases") { db in _ = try Self.checkFences(db, fences) }
    }

    /// Inside a write transaction: each fence's lock is held by its holder at its generation, or `.fenced`.
    static func checkFences(_ db: Database, _ fences: [LeaseFence]) throws -> [LockLease] {
        try fences.map { fence in
            guard let current = try lease(db, name: fence.lock), current.holder == fence.holder, current.generation == fence.generation else {
                throw StateStoreError.fenced(fence: fence, current: try lease(db, name: fence.lock).map { "\($0.holder) (generation \($0.generation))" })
            }
            return current
        }
    }

    /// A generation above every one `name` has had.
    static func nextGeneration(_ db: Database, name: String) throws -> Int {
        let next = (try Int.fetchOne(db, sql: "SELECT generation FROM lock_generations WHERE name = ?", arguments: [name]) ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO lock_generations (name, generation) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET generation = excluded.generation
            """, arguments: [name, next])
        return next
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
                         expiresAt: try row.value("expires_at", in: "locks"), generation: try row.value("generation", in: "locks"))
    }

    static func store(_ db: Database, _ lease: LockLease) throws {
        try db.execute(sql: """
            INSERT INTO locks (name, holder, acquired_at, expires_at, generation) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
                                             generation = excluded.generation
            """, arguments: [lease.name, lease.holder, lease.acquiredAt, lease.expiresAt, lease.generation])
    }
}
