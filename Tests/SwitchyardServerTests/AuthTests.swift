import Foundation
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// Bearer tokens and roles on /v1.
@Suite(.serialized) struct AuthTests {
    /// Every /v1 route, the role it needs and what it answers once allowed (release `rel-1` and drill run `drill-run-1`
    /// are seeded, nothing is live).
    struct Route: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var body: [String: String]?
        var needs: TokenRole
        var allowedStatus: Int
        /// An event stream: only the status and headers are read.
        var streams = false
        var testDescription: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: "GET", path: "/v1/topologies", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/releases", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/releases/rel-1", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/releases/rel-1/journal", needs: .viewer, allowedStatus: 200),
        Route(method: "POST", path: "/v1/releases", body: ["service": "gateway", "version": "1.1.0"], needs: .operator, allowedStatus: 409),
        Route(method: "POST", path: "/v1/releases/rel-1/promote", needs: .operator, allowedStatus: 202),
        Route(method: "POST", path: "/v1/releases/rel-1/abort", body: ["reason": "test"], needs: .operator, allowedStatus: 202),
        Route(method: "GET", path: "/v1/drills", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/drills/runs", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/drills/runs/drill-run-1", needs: .viewer, allowedStatus: 200),
        // rel-1 is a release of the drill's topology: the run is refused once allowed.
        Route(method: "POST", path: "/v1/drills/drill-zone-outage/run", needs: .operator, allowedStatus: 409),
        Route(method: "GET", path: "/v1/releases/rel-1/events", needs: .viewer, allowedStatus: 200, streams: true),
        Route(method: "GET", path: "/v1/audit", needs: .viewer, allowedStatus: 200),
        Route(method: "GET", path: "/v1/tokens", needs: .admin, allowedStatus: 200),
        Route(method: "POST", path: "/v1/tokens", body: ["name": "new-one", "role": "viewer"], needs: .admin, allowedStatus: 201),
        Route(method: "DELETE", path: "/v1/tokens/viewer", needs: .admin, allowedStatus: 204),
    ]

    enum Caller: String, Sendable, CaseIterable { case anonymous, viewer, `operator`, admin
        var role: TokenRole? { TokenRole(rawValue: rawValue) }
        var auth: DaemonHarness.Auth { role.map { .role($0) } ?? .none }
    }

    @Test(arguments: routes, Caller.allCases)
    func theAuthMatrix(route: Route, caller: Caller) async throws {
        try await DaemonHarness.with(seed: { store in
            try await Seed.release(store, id: "rel-1")
            _ = try await store.createDrillRun(id: "drill-run-1", playbook: "drill-db-primary-loss", status: "running", now: Seed.t0)
        }) { yardd in
            let reply: DaemonHarness.Reply
            switch route.method {
            case "GET" where route.streams: reply = try await yardd.head(route.path, as: caller.auth)
            case "GET": reply = try await yardd.get(route.path, as: caller.auth)
            case "DELETE": reply = try await yardd.send(.DELETE, route.path, as: caller.auth)
            default: reply = try await yardd.post(route.path, route.body, as: caller.auth)
            }
            guard let role = caller.role else {
                #expect(reply.status == 401)
                #expect(reply.errorCode == "unauthorized")
                #expect(reply.headers.first(name: "WWW-Authenticate") == "Bearer")
                return
            }
            if role < route.needs {
                #expect(reply.status == 403)
                #expect(reply.errorCode == "forbidden")
                let error = reply.object["error"] as? [String: Any]
                #expect((error?["details"] as? [String: String])?["required"] == route.needs.rawValue)
                #expect((error?["message"] as? String)?.contains("needs role \(route.needs)") == true)
                // Refused before acting: nothing audited, nothing journaled.
                #expect(try await yardd.store.listAudit(limit: 10).isEmpty)
            } else {
                #expect(reply.status == route.allowedStatus, "\(reply.json)")
            }
        }
    }

    @Test func healthAndReadinessNeedNoToken() async throws {
        try await DaemonHarness.with { yardd in
            let r1 = try await yardd.get("/healthz", as: .none)
            #expect(r1.status == 200)
            let r2 = try await yardd.get("/readyz", as: .none)
            #expect(r2.status == 200)
        }
    }

    @Test func unknownMalformedAndRevokedTokensAreRefused() async throws {
        try await DaemonHarness.with { yardd in
            let unknown = try await yardd.get("/v1/topologies", as: .bearer(APIToken.generate()))
            #expect(unknown.status == 401)
            #expect(unknown.errorCode == "unauthorized")
            #expect(unknown.headers.first(name: "WWW-Authenticate") == "Bearer")
            // The hash itself is not a token.
            let hash = APIToken.hash(yardd.tokens[.admin]!)
            let r3 = try await yardd.get("/v1/topologies", as: .bearer(hash))
            #expect(r3.status == 401)

            let r4 = try await yardd.get("/v1/topologies", as: .role(.operator))
            #expect(r4.status == 200)
            #expect(try await yardd.store.revokeToken(name: "operator"))
            let revoked = try await yardd.get("/v1/topologies", as: .role(.operator))
            #expect(revoked.status == 401)
            #expect(revoked.errorCode == "unauthorized")
            let r5 = try await yardd.store.revokeToken(name: "operator")
            #expect(r5 == false)
        }
    }

    @Test func unknownV1RoutesNeedATokenFirst() async throws {
        try await DaemonHarness.with { yardd in
            let r6 = try await yardd.get("/v1/nothing-here", as: .none)
            #expect(r6.status == 401)
            let r7 = try await yardd.get("/v1/nothing-here", as: .role(.viewer))
            #expect(r7.status == 404)
        }
    }

    @Test func theAuditActorIsTheTokenName() async throws {
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }) { yardd in
            let r8 = try await yardd.post("/v1/releases/rel-1/promote", as: .role(.operator))
            #expect(r8.status == 202)
            let audit = try await yardd.store.listAudit(limit: 10)
            #expect(audit.map(\.actor) == ["operator", "operator"])
        }
    }

    @Test func theStoreKeepsOnlyHashes() async throws {
        var secrets: [String] = []
        var folder: URL?
        try await DaemonHarness.with(afterShutdown: { store in
            let hashes = try await store.tokens().map(\.hash)
            #expect(hashes.count == 3)
            #expect(hashes.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        }) { yardd in
            secrets = Array(yardd.tokens.values)
            folder = yardd.folder
            let records = try await yardd.store.tokens()
            #expect(records.map(\.name) == ["admin", "operator", "viewer"])
            #expect(Set(records.map(\.hash)) == Set(secrets.map(APIToken.hash)))
            // Read the files while the daemon still has them (WAL included).
            let stateFolder = yardd.folder.appendingPathComponent(".yard")
            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: stateFolder.path) {
                bytes.append(try Data(contentsOf: stateFolder.appendingPathComponent(name)))
            }
            #expect(!bytes.isEmpty)
            for secret in secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "a raw token is in the state files")
                #expect(bytes.range(of: Data(secret.dropFirst(APIToken.prefix.count).utf8)) == nil)
            }
            #expect(bytes.range(of: Data(APIToken.hash(secrets[0]).utf8)) != nil, "the hash is what is stored")
        }
        #expect(secrets.count == 3)
        _ = folder
    }

    @Test func tokensHaveTheirShapeAndNamesAreUnique() async throws {
        let token = APIToken.generate()
        #expect(token.hasPrefix("yard_"))
        #expect(token.count == 5 + 43)
        #expect(token.dropFirst(5).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(APIToken.generate() != token)
        #expect(APIToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APIToken.constantTimeEqual("abcd", "abcd"))
        #expect(!APIToken.constantTimeEqual("abcd", "abce"))
        #expect(!APIToken.constantTimeEqual("abcd", "abc"))
        try await DaemonHarness.with { yardd in
            await #expect(throws: StateStoreError.tokenExists(name: "admin")) {
                try await yardd.store.createToken(name: "admin", role: .viewer, hash: APIToken.hash("x"), now: Date())
            }
            let found = try await yardd.store.token(hash: APIToken.hash(yardd.tokens[.viewer]!))
            #expect(found?.name == "viewer")
            #expect(found?.role == .viewer)
            #expect(try await yardd.store.token(hash: APIToken.hash("nope")) == nil)
        }
    }
}
