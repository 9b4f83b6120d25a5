import Foundation
import Testing
import SwitchyardTesting
@testable import SwitchyardRuntime

/// What only the PostgreSQL store has: its URL, its schema kept in step with SQLite's, and an unreachable server.
@Suite(.postgres)
struct PostgresStoreTests {
    @Test func bothStoresKnowTheSameMigrations() {
        #expect(PostgresSchema.migrations.map(\.identifier) == SQLiteSchema.migrator.migrations)
    }

    @Test func aURLNamesUserHostPortAndDatabase() throws {
        let location = try PostgresLocation.parse("postgres://yard:secret@db.example:6543/switchyard", environment: [:]).get()
        #expect(location == PostgresLocation(user: "yard", password: "secret", host: "db.example", port: 6543, database: "switchyard"))
        #expect(location.display == "postgres://yard@db.example:6543/switchyard")
        #expect(try PostgresLocation.parse("postgresql://yard@127.0.0.1/db", environment: ["PGPASSWORD": "p"]).get().password == "p")
        #expect(throws: StateStoreError.invalidLocation(location: "postgres://127.0.0.1:5432/db",
                                                        reason: "no user (postgres://USER@HOST:PORT/DATABASE)")) {
            try PostgresLocation.parse("postgres://127.0.0.1:5432/db", environment: [:]).get()
        }
        #expect(throws: StateStoreError.self) { try PostgresLocation.parse("postgres://yard@127.0.0.1:5432", environment: [:]).get() }
        #expect(!PostgresLocation.isPostgres(".yard/state.sqlite"))
    }

    @Test func anUnreachableServerFailsAtOnceNamingHostAndPort() async throws {
        let port = closedPort().port
        let started = ContinuousClock.now
        let error = await Self.openingError("postgres://postgres@127.0.0.1:\(port)/nothing")
        #expect(error.map(Self.server) == "127.0.0.1:\(port)")
        #expect(error?.description.hasPrefix("cannot reach the PostgreSQL state server at 127.0.0.1:\(port): ") == true)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aMissingDatabaseIsNamedByTheServer() async throws {
        let server = try #require(SuitePostgres.current)
        let error = await Self.openingError(server.url(database: "no_such_db"))
        #expect(error?.description.contains("no_such_db") == true)
    }

    /// The error opening `location` fails with; nil when it opened.
    static func openingError(_ location: String) async -> StateStoreError? {
        do {
            _ = try await StateLocation.open(location)
            return nil
        } catch {
            return error
        }
    }

    static func server(_ error: StateStoreError) -> String? {
        if case .unreachable(let server, _) = error { return server }
        return nil
    }

    @Test func aSecondOpenFindsTheSchemaMigratedAndKeepsTheData() async throws {
        let place = try await StoreKind.postgres.place()
        do {
            let store = try await place.open()
            try await store.createToken(name: "ci", role: .viewer, hash: String(repeating: "a", count: 64), now: Fixtures.t0)
        }
        let again = try await place.open()
        #expect(try await again.tokens().map(\.name) == ["ci"])
    }

    @Test func aServerStoppedUnderAStoreFailsItsCallsInsteadOfHanging() async throws {
        let server = try PostgresServer.start()
        defer { server.stop() }
        try server.createDatabase("gone")
        let store = try await PostgresStateStore.open(try PostgresLocation.parse(server.url(database: "gone")).get(), operationTimeout: .seconds(3))
        try await store.acquireLock(name: "l", holder: "a", lease: .seconds(30), now: Fixtures.t0)
        server.stop()
        let started = ContinuousClock.now
        await #expect(throws: StateStoreError.self) { try await store.lock(name: "l") }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
