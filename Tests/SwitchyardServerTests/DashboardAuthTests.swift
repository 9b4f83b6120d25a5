import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import SwitchyardRuntime
@testable import SwitchyardServer

/// The dashboard keeps the API's security: its pages refuse a request with no token and no session (401, an HTML page
/// that links to the login form, no data), also through paths that normalise to them; a session is made only from a
/// known token (by the login form or a one-time link), its cookie holds no token, is HttpOnly and SameSite=Strict, ends
/// when the token is revoked, and never authenticates a mutation.
@Suite(.serialized) struct DashboardAuthTests {
    static let pages = ["/ui", "/ui/releases", "/ui/releases/rel-seeded", "/ui/drills", "/ui/capacity", "/ui/releases?part=live"]

    @Test func thePagesRefuseARequestWithoutATokenOrASession() async throws {
        try await DashboardHarness.with { harness, http in
            let paths = Self.pages + ["/ui/login/../releases", "/ui/assets/../releases", "/ui/assets/%2e%2e/releases", "//ui//releases/", "/ui/nosuch"]
            for path in paths {
                let reply = try await http.get(path)
                #expect(reply.status == 401, "\(path) answered \(reply.status)")
                #expect(reply.header("Content-Type")?.hasPrefix("text/html") == true, "\(path)")
                #expect(reply.body.contains("href=\"/ui/login?next="), "\(path): \(reply.body)")
                #expect(!reply.body.contains("rel-seeded\" data-phase"), "\(path) leaked a release")
            }
            // A cookie that names no session, and an unknown bearer token, are refused alike.
            for headers in [["Cookie": "yard_session=yard_forged"], ["Authorization": "Bearer yard_nope"]] {
                let reply = try await http.get("/ui/releases", headers: headers)
                #expect(reply.status == 401, "\(headers)")
            }
            // The API keeps its JSON refusal; the open assets stay open and carry no data.
            #expect(try await http.get("/v1/releases").status == 401)
            #expect(try await http.get("/ui/assets/live.js").status == 200)
            #expect(try await http.get("/ui/login").body.contains("name=\"token\""))
            // A bearer token of the lowest role reads every page.
            for path in Self.pages {
                let reply = try await http.get(path, headers: ["Authorization": "Bearer \(harness.tokens[.viewer]!)"])
                #expect(reply.status == 200, "\(path) answered \(reply.status): \(reply.body)")
                #expect(reply.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
            }
        }
    }

    @Test func theLoginFormMakesASessionCookieThatHoldsNoTokenAndOnlyReads() async throws {
        try await DashboardHarness.with { harness, http in
            // An operator's token, so that only the cookie rule (never the role) can refuse the post below.
            let viewer = harness.tokens[.operator]!
            // Unknown token: 401, no cookie. A post from another site's page: 403.
            let wrong = try await http.post("/ui/login", form: "token=yard_nope&next=%2Fui")
            #expect(wrong.status == 401)
            #expect(wrong.header("Set-Cookie") == nil)
            let foreign = try await http.post("/ui/login", form: "token=\(viewer)", headers: ["Origin": "http://evil.example"])
            #expect(foreign.status == 403)
            #expect(foreign.header("Set-Cookie") == nil)

            let login = try await http.post("/ui/login", form: "token=\(viewer)&next=%2Fui%2Freleases", headers: ["Origin": "http://127.0.0.1:\(harness.port)"])
            #expect(login.status == 303)
            #expect(login.header("Location") == "/ui/releases")
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(cookie.hasPrefix("yard_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains(viewer), "the cookie carries the token")
            let session = try #require(SessionCookie.value(cookie.components(separatedBy: ";").first))
            let headers = ["Cookie": "yard_session=\(session)"]

            // The session reads pages, the API and the event streams' routes...
            #expect(try await http.get("/ui/releases", headers: headers).status == 200)
            #expect(try await http.get("/v1/releases", headers: headers).status == 200)
            // ...but never acts: a post with only the cookie is refused as unauthenticated.
            let start = try await http.post("/v1/releases", json: #"{"service":"gateway","version":"9.9"}"#, headers: headers)
            #expect(start.status == 401)
            // The session was audited under the token's name.
            let audit = try await harness.store.listAudit(limit: 20)
            #expect(audit.contains { $0.action == "ui.session" && $0.actor == "operator" && $0.detail == "login form" }, "\(audit)")
            // Revoking the token ends its sessions.
            try await TokenAdmin.revoke(name: "operator", in: harness.store, actor: "test")
            #expect(try await http.get("/ui/releases", headers: headers).status == 401)
        }
    }

    @Test func aLoginLinkWorksOnceAndOnlyGoesToADashboardPage() async throws {
        try await DashboardHarness.with { harness, http in
            let bearer = ["Authorization": "Bearer \(harness.tokens[.viewer]!)"]
            // Without a token no link is made.
            #expect(try await http.post("/v1/ui/links", json: "{}").status == 401)
            for (asked, expected) in [("/ui/drills", "/ui/drills"), ("//evil.example/ui", "/ui"), ("https://evil.example/", "/ui"),
                                      ("/v1/tokens", "/ui"), ("/ui/../v1/tokens", "/ui"), ("/ui/login/x", "/ui")] {
                let made = try await http.post("/v1/ui/links", json: #"{"next":"\#(asked)"}"#, headers: bearer)
                #expect(made.status == 201)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(made.body.utf8)) as? [String: Any])
                let path = try #require(object["path"] as? String)
                #expect(object["next"] as? String == expected)
                let first = try await http.get(path)
                #expect(first.status == 303)
                #expect(first.header("Location") == expected, "\(asked)")
                let cookie = try #require(first.header("Set-Cookie")?.components(separatedBy: ";").first)
                #expect(cookie.hasPrefix("yard_session="))
                #expect(try await http.get(expected, headers: ["Cookie": cookie]).status == 200, "the viewer's session reads \(expected)")
                let again = try await http.get(path)
                #expect(again.status == 401, "a login link worked twice")
                #expect(again.header("Set-Cookie") == nil)
            }
            // A link made before its token was revoked opens nothing.
            let made = try await http.post("/v1/ui/links", json: "{}", headers: bearer)
            let path = try #require((try JSONSerialization.jsonObject(with: Data(made.body.utf8)) as? [String: Any])?["path"] as? String)
            try await TokenAdmin.revoke(name: "viewer", in: harness.store, actor: "test")
            let revoked = try await http.get(path)
            #expect(revoked.status == 401)
            #expect(revoked.header("Set-Cookie") == nil)
        }
    }
}

/// A daemon (the harness's, with a seeded release) and a client that does not follow redirects and sends any header.
struct DashboardHarness {
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    let port: Int
    let client: HTTPClient

    static func with(_ body: (DaemonHarness, DashboardHarness) async throws -> Void) async throws {
        try await DaemonHarness.with(seed: { store in try await Seed.release(store, id: "rel-seeded") }) { harness in
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            do {
                try await body(harness, DashboardHarness(port: harness.port, client: client))
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply { try await send(.GET, path, body: nil, headers: headers) }

    func post(_ path: String, form: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.POST, path, body: form, headers: headers.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 })
    }

    func post(_ path: String, json: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(.POST, path, body: json, headers: headers.merging(["Content-Type": "application/json"]) { $1 })
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?, headers: [String: String]) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 22)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
    }
}
