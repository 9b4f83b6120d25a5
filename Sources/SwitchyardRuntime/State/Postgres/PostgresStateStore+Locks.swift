import Foundation
import Logging
import PostgresNIO

extension PostgresStateStore {
    @discardableResult
    public func acquireLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: name, lease: lease) }
        return try await write("acquiring lock \(name)") { db, logger in
            // The writer lock is held from here to commit: no other process can read-then-write this row in between.
            let current = try await Self.lease(db, logger, name: name)
            if let current, current.holder != holder, !current.isExpired(at: now) {
                throw StateStoreError.lockHeld(name: name, holder: current.holder, until: current.expiresAt)
            }
            let result: LockLease
            if let current, current.holder == holder, !current.isExpired(at: now) {
                // The same holder renewing a live lease: the same generation.
                result = LockLease(name: name, holder: holder, acquiredAt: current.acquiredAt, expiresAt: now.addingTimeInterval(lease.seconds),
                                   generation: current.generation)
            } else {
                let generation = try await Self.nextGeneration(db, logger, name: name)
                result = LockLease(name: name, holder: holder, acquiredAt: now, expiresAt: now.addingTimeInterval(lease.seconds), generation: generation)
            }
            try await Self.store(db, logger, result)
            return result
        }
    }

    @discardableResult
    public func renewLock(name: String, holder: String, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: name, lease: lease) }
        return try await write("renewing lock \(name)") { db, logger in
            let current = try await Self.lease(db, logger, name: name)
            guard let current, current.holder == holder else {
                throw StateStoreError.lockNotHeld(name: name, holder: holder, currentHolder: current?.holder)
            }
            let result = LockLease(name: name, holder: holder, acquiredAt: current.acquiredAt, expiresAt: now.addingTimeInterval(lease.seconds),
                                   generation: current.generation)
            try await Self.store(db, logger, result)
            return result
        }
    }

    @discardableResult
    public func renewLock(_ fence: LeaseFence, lease: Duration, now: Date) async throws(StateStoreError) -> LockLease {
        guard lease > .zero else { throw .invalidLease(name: fence.lock, lease: lease) }
        return try await write("renewing lock \(fence.lock)") { db, logger in
            let current = try await Self.checkFences(db, logger, [fence])[0]
            let result = LockLease(name: fence.lock, holder: fence.holder, acquiredAt: current.acquiredAt,
                                   expiresAt: now.addingTimeInterval(lease.seconds), generation: fence.generation)
            try await Self.store(db, logger, result)
            return result
        }
    }

    public func checkFences(_ fences: [LeaseFence]) async throws(StateStoreError) {
        try await write("checking leases") { db, logger in _ = try await Self.checkFences(db, logger, fences) }
    }

    /// Inside a write transaction: each fence's lock is held by its holder at its generation, or `.fenced`.
    static func checkFences(_ db: PostgresConnection, _ logger: Logger, _ fences: [LeaseFence]) async throws -> [LockLease] {
        var leases: [LockLease] = []
        for fence in fences {
            let current = try await lease(db, logger, name: fence.lock)
            guard let current, current.holder == fence.holder, current.generation == fence.generation else {
                throw StateStoreError.fenced(fence: fence, current: current.map { "\($0.holder) (generation \($0.generation))" })
            }
            leases.append(current)
        }
        return leases
    }

    /// A generation above every one `name` has had.
    static func nextGeneration(_ db: PostgresConnection, _ logger: Logger, name: String) async throws -> Int {
        let row = try await db.row("""
            INSERT INTO lock_generations (name, generation) VALUES (\(name), 1)
            ON CONFLICT (name) DO UPDATE SET generation = lock_generations.generation + 1
            RETURNING generation
            """, logger: logger)
        guard let row else { throw StateStoreError.unreadableValue(table: "lock_generations", column: "generation", value: "no row") }
        return try row.value("generation", in: "lock_generations", as: Int.self)
    }

    @discardableResult
    public func releaseLock(name: String, holder: String) async throws(StateStoreError) -> Bool {
        try await write("releasing lock \(name)") { db, logger in
            try await db.changes("DELETE FROM locks WHERE name = \(name) AND holder = \(holder) RETURNING 1", logger: logger) > 0
        }
    }

    public func lock(name: String) async throws(StateStoreError) -> LockLease? {
        try await read("reading lock \(name)") { db, logger in try await Self.lease(db, logger, name: name) }
    }

    static func lease(_ db: PostgresConnection, _ logger: Logger, name: String) async throws -> LockLease? {
        guard let row = try await db.row("SELECT * FROM locks WHERE name = \(name)", logger: logger) else { return nil }
        return LockLease(name: name, holder: try row.value("holder", in: "locks"), acquiredAt: try row.value("acquired_at", in: "locks"),
                         expiresAt: try row.value("expires_at", in: "locks"), generation: try row.value("generation", in: "locks"))
    }

    static func store(_ db: PostgresConnection, _ logger: Logger, _ lease: LockLease) async throws {
        try await db.query("""
            INSERT INTO locks (name, holder, acquired_at, expires_at, generation)
            VALUES (\(lease.name), \(lease.holder), \(lease.acquiredAt), \(lease.expiresAt), \(lease.generation))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
                                             generation = excluded.generation
            """, logger: logger)
    }
}
