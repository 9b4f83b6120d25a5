import Foundation
import Testing
import SwitchyardRuntime
@testable import SwitchyardServer

/// One path, one answer: spellings of a route that the router folds to it get exactly the route's authentication and
/// role check, so no `//`, `.`, `%2e` or trailing slash gets past a token.
@Suite(.serialized) struct AuthPathTests {
    /// How a route's path is written on the wire.
    enum Spelling: String, CaseIterable, Sendable {
        case plain, leadingDoubleSlash, innerDoubleSlash, dotSegment, encodedDot, trailingSlash, dotDot

        func write(_ path: String) -> String {
            let rest = path.dropFirst("/v1/".count)
            switch self {
            case .plain: return path
            case .leadingDoubleSlash: return "/" + path
            case .innerDoubleSlash: return "/v1//" + rest
            case .dotSegment: return "/v1/./" + rest
            case .encodedDot: return "/v1/%2e/" + rest
            case .trailingSlash: return path + "/"
            case .dotDot: return "/v1/elsewhere/../" + rest
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var route: AuthTests.Route
        var spelling: Spelling
        var testDescription: String { "\(route.method) \(spelling.write(route.path))" }
    }

    static let cases: [Case] = AuthTests.routes.flatMap { route in Spelling.allCases.map { Case(route: route, spelling: $0) } }

    /// Callers in rising role order, on one daemon per case: each gets what the plain path gives that caller. (Where two
    /// callers are allowed, the second finds the state the first left, and the route's allowed status holds for both: a
    /// release asked twice to promote is still running, a second start is still refused.)
    @Test(arguments: cases)
    func everySpellingOfARouteIsGuardedAsTheRouteIs(_ test: Case) async throws {
        let route = test.route
        let target = test.spelling.write(route.path)
        try await DaemonHarness.with(seed: { store in
            try await Seed.release(store, id: "rel-1")
            _ = try await store.createDrillRun(id: "drill-run-1", playbook: "drill-db-primary-loss", status: "running", now: Seed.t0)
        }) { yardd in
            for caller in AuthTests.Caller.allCases {
                var headers: [String: String] = [:]
                if let role = caller.role { headers["Authorization"] = "Bearer \(yardd.tokens[role]!)" }
                let body = try route.body.map { try JSONSerialization.data(withJSONObject: $0) }
                let reply = try RawHTTP.request(port: yardd.port, route.method, target, headers: headers, body: body)
                guard let role = caller.role else {
                    #expect(reply.status == 401, "\(caller) \(target): \(reply.text)")
                    continue
                }
                if role < route.needs {
                    #expect(reply.status == 403, "\(caller) \(target): \(reply.text)")
                } else {
                    #expect(reply.status == route.allowedStatus, "\(caller) \(target): \(reply.text)")
                }
            }
            // Whatever the spelling, nothing was done by a caller below the route's role.
            let actors = Set(try await yardd.store.listAudit(limit: 50).map(\.actor))
            #expect(actors.isSubset(of: Set(TokenRole.allCases.filter { $0 >= route.needs }.map(\.rawValue))), "\(actors)")
        }
    }

    @Test func pathsThatCannotBeReadOneWayAreRefused() async throws {
        try await DaemonHarness.with { yardd in
            let admin = ["Authorization": "Bearer \(yardd.tokens[.admin]!)"]
            for target in ["/v1/tokens%2F", "/v1%2ftokens", "/v1/../../v1/tokens", "/v1/%zz", "/v1/%00/tokens", "/v1/%25/tokens"] {
                let reply = try RawHTTP.request(port: yardd.port, "GET", target, headers: admin)
                #expect(reply.status == 400, "\(target): \(reply.text)")
                #expect(reply.text.contains("bad-path"), "\(target): \(reply.text)")
            }
        }
    }

    @Test func onlyHealthReadinessAndMetricsAreOpenWhateverTheSpelling() async throws {
        try await DaemonHarness.with { yardd in
            for target in ["/healthz", "//healthz", "/readyz/", "/./metrics", "/%6detrics"] {
                let reply = try RawHTTP.request(port: yardd.port, "GET", target)
                #expect(reply.status == 200, "\(target): \(reply.text)")
            }
            for target in ["/", "/v1", "//", "/nothing", "/healthz/../v1/tokens", "/metrics/x"] {
                let reply = try RawHTTP.request(port: yardd.port, "GET", target)
                #expect(reply.status == 401, "\(target): \(reply.text)")
            }
        }
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        try await DaemonHarness.with { yardd in
            let big = Data(#"{"name":"x","role":"viewer","pad":""#.utf8) + Data(repeating: UInt8(ascii: "a"), count: 1 << 21) + Data(#""}"#.utf8)
            let reply = try RawHTTP.request(port: yardd.port, "POST", "/v1/tokens", headers: ["Authorization": "Bearer \(yardd.tokens[.admin]!)"], body: big)
            #expect(reply.status == 413, "\(reply.text.prefix(300))")
            #expect(reply.text.contains("body-too-large"))
        }
    }
}

/// The normal form itself, without a server.
struct RequestPathTests {
    @Test(arguments: [
        ("/v1/tokens", "/v1/tokens"), ("//v1/tokens", "/v1/tokens"), ("/v1//tokens", "/v1/tokens"), ("/v1/./tokens", "/v1/tokens"),
        ("/v1/%2e/tokens", "/v1/tokens"), ("/v1/%2E/tokens", "/v1/tokens"), ("/v1/tokens/", "/v1/tokens"), ("/v1/a/../tokens", "/v1/tokens"),
        ("/v1/%2e%2e/v1/tokens", "/v1/tokens"), ("/", "/"), ("//", "/"), ("/v1/releases/rel%2D1", "/v1/releases/rel-1"),
    ])
    func spellingsFoldToOnePath(raw: String, normal: String) throws {
        #expect(try RequestPath.normalize(raw) == normal)
    }

    @Test func refusals() {
        #expect(throws: RequestPath.Refusal.aboveRoot("/..")) { try RequestPath.normalize("/..") }
        #expect(throws: RequestPath.Refusal.encodedSeparator("/v1%2Ftokens")) { try RequestPath.normalize("/v1%2Ftokens") }
        #expect(throws: RequestPath.Refusal.encodedSeparator("/a%5Cb")) { try RequestPath.normalize("/a%5Cb") }
        #expect(throws: RequestPath.Refusal.encodedSeparator("/a%3fb")) { try RequestPath.normalize("/a%3fb") }
        #expect(throws: RequestPath.Refusal.badEncoding("/a%2")) { try RequestPath.normalize("/a%2") }
        #expect(throws: RequestPath.Refusal.badEncoding("/a%ff")) { try RequestPath.normalize("/a%ff") }
        #expect(throws: RequestPath.Refusal.notAbsolute("v1")) { try RequestPath.normalize("v1") }
    }
}
