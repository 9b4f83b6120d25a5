import Foundation
import GRDB
import Testing
import SwitchyardCore
@testable import SwitchyardRuntime

/// API tokens in the store (migration v2): unique names, lookup by hash, revocation, and a v1 file upgraded in place.
@Suite(.postgres)
struct TokenStoreTests {
    static let hashA = String(repeating: "a", count: 64), hashB = String(repeating: "b", count: 64)

    @Test(arguments: StoreKind.allCases) func createsListsFindsAndRevokesTokens(_ kind: StoreKind) async throws {
        let folder = try await kind.place()
        let store = try await folder.open()
        try await store.createToken(name: "ci", role: .operator, hash: Self.hashA, now: Fixtures.t0)
        try await store.createToken(name: "alice", role: .admin, hash: Self.hashB, now: Fixtures.t(1))
        #expect(try await store.tokens() == [TokenRecord(name: "alice", role: .admin, hash: Self.hashB, createdAt: Fixtures.t(1)),
                                             TokenRecord(name: "ci", role: .operator, hash: Self.hashA, createdAt: Fixtures.t0)])
        #expect(try await store.token(hash: Self.hashA)?.name == "ci")
        await #expect(throws: StateStoreError.tokenExists(name: "ci")) {
            try await store.createToken(name: "ci", role: .viewer, hash: String(repeating: "c", count: 64), now: Fixtures.t0)
        }
        let revoked = try await store.revokeToken(name: "ci")
        #expect(revoked)
        let again = try await store.revokeToken(name: "ci")
        #expect(!again)
        #expect(try await store.token(hash: Self.hashA) == nil)
        #expect(try await store.tokens().map(\.name) == ["alice"])
    }

    @Test func aV1FileIsMigratedToV2KeepingItsData() async throws {
        let folder = StateFolder()
        try FileManager.default.createDirectory(atPath: folder.url.appendingPathComponent(".yard").path, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: folder.databasePath)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v1")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, outcome) VALUES (?, 'api', 'release.start', 'gateway', 'requested')",
                               arguments: [Fixtures.t0])
            }
        }
        let store = try folder.store()
        #expect(try await store.listAudit(limit: 10).map(\.actor) == ["api"])
        #expect(try await store.tokens().isEmpty)
        try await store.createToken(name: "ci", role: .viewer, hash: Self.hashA, now: Fixtures.t0)
        #expect(try await store.tokens().count == 1)
    }
}
