import Foundation
import Hummingbird
import SwitchyardRuntime

/// Bearer tokens on `/v1`: a missing or unknown token is 401 `unauthorized` (with `WWW-Authenticate: Bearer`),
/// a token whose role is too low is 403 `forbidden` naming the role needed. `/healthz` and `/readyz` stay open.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = YarddRequestContext
    let store: any StateStore

    /// The role a request needs: token management `admin` (reads included), other reads `viewer`, release
    /// mutations and drill runs `operator`, anything else under /v1 (reload, unknown routes) `admin`.
    static func requiredRole(method: HTTPRequest.Method, path: String) -> TokenRole {
        if path == "/v1/tokens" || path.hasPrefix("/v1/tokens/") { return .admin }
        if method == .get || method == .head { return .viewer }
        if method == .post, path == "/v1/releases" || path.hasPrefix("/v1/releases/") { return .operator }
        if method == .post, isDrillRun(path) { return .operator }
        return .admin
    }

    static func isProtected(_ path: String) -> Bool { path == "/v1" || path.hasPrefix("/v1/") }

    /// `/v1/drills/{playbook}/run`, and nothing deeper.
    static func isDrillRun(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[1] == "v1" && parts[2] == "drills" && !parts[3].isEmpty && parts[4] == "run"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard Self.isProtected(path) else { return try await next(request, context) }
        guard let presented = Self.bearer(request.headers[.authorization]) else {
            return try unauthorized("this route needs a bearer token (Authorization: Bearer yard_…); `yardd token create` makes one",
                                    request: request, context: context)
        }
        let record: TokenRecord?
        do { record = try await APIToken.authenticate(presented, store: store) } catch { throw APIError.store(error) }
        guard let record else {
            return try unauthorized("unknown or revoked token", request: request, context: context)
        }
        let needed = Self.requiredRole(method: request.method, path: path)
        guard record.role >= needed else {
            throw APIError(.forbidden, code: "forbidden",
                           message: "\(request.method) \(path) needs role \(needed); token \(record.name) has role \(record.role)",
                           details: ["required": needed.rawValue, "role": record.role.rawValue, "token": record.name])
        }
        var context = context
        context.token = record
        return try await next(request, context)
    }

    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    private func unauthorized(_ message: String, request: Request, context: Context) throws -> Response {
        var response = try APIError(.unauthorized, code: "unauthorized", message: message).response(from: request, context: context)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }
}
