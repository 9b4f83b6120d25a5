import Foundation
import Testing
import SwitchyardTesting
@testable import SwitchyardRuntime

/// The two state stores one suite runs against: an SQLite file in a fresh folder, and a fresh database on the
/// PostgreSQL server of the suite (`@Suite(.postgres)` starts it).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Where a fresh, empty store lives; open it as often as a test needs (a restart is a second open).
    func place() async throws -> StorePlace {
        switch self {
        case .sqlite:
            return StorePlace(folder: StateFolder(), url: nil)
        case .postgres:
            guard let server = SuitePostgres.current else { throw TestFailure("a postgres store needs @Suite(.postgres) on the suite") }
            let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try server.createDatabase(String(database))
            return StorePlace(folder: nil, url: server.url(database: String(database)))
        }
    }

    func store() async throws -> any StateStore {
        try await place().open()
    }
}

final class StorePlace: Sendable {
    let folder: StateFolder?
    let url: String?

    init(folder: StateFolder?, url: String?) {
        self.folder = folder
        self.url = url
    }

    func open() async throws -> any StateStore {
        if let url { return try await StateLocation.open(url) }
        guard let folder else { throw TestFailure("a store place with neither folder nor URL") }
        return try folder.store()
    }
}

/// The PostgreSQL server of the running suite.
enum SuitePostgres {
    @TaskLocal static var current: PostgresServer?
}

/// One PostgreSQL server per suite: started before its first test, stopped and removed after its last, also when a
/// test fails.
struct PostgresScope: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await PostgresServer.run { server in
            try await SuitePostgres.$current.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == PostgresScope {
    static var postgres: PostgresScope { PostgresScope() }
}
