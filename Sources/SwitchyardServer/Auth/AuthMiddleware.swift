import Foundation
import Hummingbird
import SwitchyardRuntime

/// Bearer tokens, deny by default: every route registered after this middleware, and every unknown path, needs a
/// known token. A missing or unknown token is 401 `unauthorized` (with `WWW-Authenticate: Bearer`). The routes that stay
/// open (`/healthz`, `/readyz`, `/metrics`) are those registered before it; which role a route needs is attached to the
/// route itself (`GuardedRoutes`), never read from a list of path strings.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = YarddRequestContext
    let store: any StateStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = Self.bearer(request.headers[.authorization]) else {
            return try unauthorized("this route needs a bearer token (Authorization: Bearer yard_…); `yardd token create` makes one",
                                    request: request, context: context)
        }
        let record: TokenRecord?
        do { record = try await APIToken.authenticate(presented, store: store) } catch { throw APIError.store(error) }
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
        var response = try APIError(.unauthorized, code: "unauthorized", message: message).response(from: request, context: context)
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }
}
