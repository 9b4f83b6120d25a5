import Foundation
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// Opening the file: folders created, two stores sharing one file, and clear errors for what is not a database.
struct OpeningTests {
    @Test func aMissingFolderIsCreated() throws {
        let folder = StateFolder()
        let path = folder.url.appendingPathComponent("deep/er/.yard/state.sqlite").path
        _ = try SQLiteStateStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aSecondStoreOnTheSameFileSeesTheFirstsWrites() async throws {
        let folder = StateFolder()
        let first = try folder.store()
        let second = try folder.store()
        _ = try await first.createRelease(NewRelease(id: "rel-1", startedBy: "ci", machine: ReleaseMachine(plan: Fixtures.plan()), now: Fixtures.t0),
                                          now: Fixtures.t0)
        try await first.commitRouting(service: "gateway", live: ["a": .green], versions: [.green: "2.0"], now: Fixtures.t0)
        try await first.appendAudit(AuditEntry(at: Fixtures.t0, actor: "cli", action: "release", target: "gateway", outcome: "started"))
        #expect(try await second.release(id: "rel-1")?.id == "rel-1")
        #expect(try await second.routing(service: "gateway")?.live == ["a": .green])
        #expect(try await second.listAudit(limit: 1).first?.actor == "cli")
        // And the other way round.
        try await second.recordLoadBalancer(name: "edge", masterPID: 7, now: Fixtures.t0)
        #expect(try await first.loadBalancer(name: "edge")?.masterPID == 7)
    }

    @Test func theDatabaseIsInWALMode() async throws {
        let store = try StateFolder().store()
        let mode = try await store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func aGarbageFileIsRefusedWithAClearError() throws {
        let folder = StateFolder()
        let path = folder.databasePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StateStoreError.self) { try SQLiteStateStore(path: path) }
        guard case .notADatabase(let p, let reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(p == path && reason == "the file does not start with the SQLite header")
        #expect(error!.description.contains("move it aside"))
    }

    @Test func aDamagedDatabaseIsRefusedWithAClearError() async throws {
        let folder = StateFolder()
        let path = folder.databasePath
        do {
            let store = try folder.store()
            try await store.appendAudit(AuditEntry(at: Fixtures.t0, actor: "cli", action: "x", target: "y", outcome: "z"))
        }
        // Keep the SQLite header, overwrite the rest of the first pages with garbage; drop the WAL files.
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: 16)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 8192))
        try handle.close()
        let error = await #expect(throws: StateStoreError.self) {
            let store = try SQLiteStateStore(path: path)
            _ = try await store.listAudit(limit: 1)
        }
        guard case .notADatabase(let p, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(p == path)
    }

    /// Root reads any file, so this only runs for other users.
    @Test(.enabled(if: getuid() != 0, "root can read a file without permissions"))
    func anUnreadableFileIsRefused() throws {
        let folder = StateFolder()
        let path = folder.url.appendingPathComponent("state.sqlite").path
        _ = try SQLiteStateStore(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
        #expect(throws: StateStoreError.cannotOpen(path: path, reason: "permission denied (cannot read it)")) { try SQLiteStateStore(path: path) }
    }

    @Test func aFolderInTheWayIsRefused() throws {
        let folder = StateFolder()
        let path = folder.url.appendingPathComponent("state.sqlite").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: StateStoreError.cannotOpen(path: path, reason: "it is a folder, not a file")) { try SQLiteStateStore(path: path) }
    }

    @Test func aFileWhereTheFolderShouldBeIsRefused() throws {
        let folder = StateFolder()
        let blocker = folder.url.appendingPathComponent(".yard").path
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: StateStoreError.cannotCreateFolder(path: blocker, reason: "a file of that name is in the way")) {
            try SQLiteStateStore(path: folder.databasePath)
        }
        let deeper = folder.url.appendingPathComponent(".yard/sub/state.sqlite").path
        #expect(throws: StateStoreError.cannotCreateFolder(path: blocker + "/sub", reason: "\(blocker) is a file, not a folder")) {
            try SQLiteStateStore(path: deeper)
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        let folder = StateFolder()
        do {
            let store = try folder.store()
            try await store.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        }
        let error = #expect(throws: StateStoreError.self) { try folder.store() }
        guard case .newerSchema(_, let applied, let known)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(applied == ["v1", "v2", "v3-drill-schedules", "v4-lock-generations", "v5-capacity-measurements", "v6-drill-abort-requests", "v7-capacity-reports", "v99"] && known == ["v1", "v2", "v3-drill-schedules", "v4-lock-generations", "v5-capacity-measurements", "v6-drill-abort-requests", "v7-capacity-reports"])
    }
}
