import Foundation
import Hummingbird
import SwitchyardRuntime

/// Bearer tokens, deny by default: every route registered after this middleware, and every unknown path, needs a
/// known token. A missing or unknown token is 401 `unauthorized` (with `WWW-Authenticate: Bearer`). The routes that stay
/// open (`/healthz`, `/readyz`, `/metrics`) are those registered before it; which role a route needs is attached to the
/// route itself (`GuardedRoutes`), never read from a list of path strings.
///
/// Without an `Authorization` header, a `GET` or `HEAD` may authenticate with the dashboard's session cookie
/// (`SessionCookie`, made at `/ui/login` from a token): the session holds the token's hash, looked up in the store on
/// every request, so a revoked token ends its sessions. A cookie never authenticates a mutation (no cross-site request
/// can act with it, even where `SameSite` is not honoured). A refused request under `/ui` is answered with an HTML page
/// that links to the login form, still with status 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = YarddRequestContext
    let store: any StateStore
    var sessions: DashboardSessions?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let record: TokenRecord?
        if let presented = Self.bearer(request.headers[.authorization]) {
            do { record = try await APIToken.authenticate(presented, store: store) } catch { throw APIError.store(error) }
        } else if request.method == .get || request.method == .head, let sessions, let id = SessionCookie.value(request.headers[.cookie]) {
            guard let hash = await sessions.tokenHash(session: id) else {
                return try unauthorized("the dashboard session has expired or is unknown; log in again at /ui/login", request: request, context: context)
            }
            do { record = try await store.token(hash: hash) } catch { throw APIError.store(error) }
        } else {
            return try unauthorized("this route needs a bearer token (Authorization: Bearer yard_…); `yardd token create` makes one",
                                    request: request, context: context)
        }
        guard let record else {
            return try unauthorized("unknown or revoked token", request: request, context: context)
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
        if request.uri.path == "/ui" || request.uri.path.hasPrefix("/ui/") { return DashboardHTML.loginRequired(message, path: request.uri.path) }
        var response = try APIError(.unauthorized, code: "unauthorized", message: message).response(from: request, context: context)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }
}
