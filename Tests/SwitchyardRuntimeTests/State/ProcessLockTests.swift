import Foundation
import Testing
@testable import SwitchyardRuntime

/// Another process on the same file: the `sqlite3` shell takes the database's write lock, writes a lease
/// for itself and holds the transaction open for a while. The store waits (busy timeout) instead of failing,
/// then sees the child's lease; with a busy timeout shorter than the hold, it says who to look for.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
struct ProcessLockTests {
    /// Starts `sqlite3` on `path`: BEGIN IMMEDIATE, insert a lease for `child`, touch `marker`, sleep, COMMIT.
    static func holdWriteLock(path: String, marker: String, seconds: Double) throws -> Process {
        let script = """
            .timeout 10000
            BEGIN IMMEDIATE;
            INSERT INTO locks (name, holder, acquired_at, expires_at)
              VALUES ('release:gateway', 'release rel-child of gateway', '2026-11-25 12:34:56.000', '2026-11-25 12:44:56.000');
            .shell touch '\(marker)'
            .shell sleep \(seconds)
            COMMIT;
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        return process
    }

    static func waitFor(_ marker: String) async throws {
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) { try await Task.sleep(for: .milliseconds(25)) }
        #expect(FileManager.default.fileExists(atPath: marker), "the child never took the write lock")
    }

    @Test func theStoreWaitsForTheChildThenSeesItsLease() async throws {
        let folder = StateFolder()
        let store = try folder.store(busyTimeout: .seconds(10))
        let marker = folder.url.appendingPathComponent("locked").path
        let child = try Self.holdWriteLock(path: folder.databasePath, marker: marker, seconds: 1)
        defer { if child.isRunning { child.terminate() } }
        try await Self.waitFor(marker)

        let error = await #expect(throws: StateStoreError.self) {
            try await store.acquireLock(name: "release:gateway", holder: "release rel-parent of gateway", lease: .seconds(60), now: Fixtures.t(10))
        }
        #expect(error == .lockHeld(name: "release:gateway", holder: "release rel-child of gateway", until: Fixtures.t(600)))
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
    }

    @Test func aBusyTimeoutShorterThanTheHoldIsReportedNotHung() async throws {
        let folder = StateFolder()
        let store = try folder.store(busyTimeout: .milliseconds(200))
        let marker = folder.url.appendingPathComponent("locked").path
        let child = try Self.holdWriteLock(path: folder.databasePath, marker: marker, seconds: 1.5)
        defer { if child.isRunning { child.terminate() } }
        try await Self.waitFor(marker)

        let clock = ContinuousClock()
        let began = clock.now
        let error = await #expect(throws: StateStoreError.self) {
            try await store.acquireLock(name: "release:gateway", holder: "parent", lease: .seconds(60), now: Fixtures.t(10))
        }
        #expect(clock.now - began < .seconds(1), "failed after the busy timeout, not after the child let go")
        guard case .busy(let path, _, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == folder.databasePath)
        #expect(error!.description.contains("stayed locked by another process for more than 0.2s"))
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
    }
}
