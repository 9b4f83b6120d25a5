import Hummingbird
import SwitchyardRuntime

/// The role one group of routes needs: a token below it is 403 `forbidden`, naming the role needed and the token's.
/// Runs after `AuthMiddleware`, so a request without a token never gets here.
struct RequireRole: RouterMiddleware {
    typealias Context = YarddRequestContext
    let role: TokenRole

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = context.token else {
            // Only reachable if a route were registered before AuthMiddleware yet guarded: refuse, never serve.
            throw APIError(.unauthorized, code: "unauthorized", message: "this route needs a bearer token")
        }
        guard token.role >= role else {
            throw APIError(.forbidden, code: "forbidden",
                           message: "\(request.method) \(request.uri.path) needs role \(role); token \(token.name) has role \(token.role)",
                           details: ["required": role.rawValue, "role": token.role.rawValue, "token": token.name])
        }
        return try await next(request, context)
    }
}

/// The daemon's guarded routes, one group per role: a route is added to the group of the role it needs, so the
/// check travels with the route.
struct GuardedRoutes {
    let viewer: RouterGroup<YarddRequestContext>
    let `operator`: RouterGroup<YarddRequestContext>
    let admin: RouterGroup<YarddRequestContext>

    init(_ router: Router<YarddRequestContext>) {
        viewer = router.group().add(middleware: RequireRole(role: .viewer))
        `operator` = router.group().add(middleware: RequireRole(role: .operator))
        admin = router.group().add(middleware: RequireRole(role: .admin))
    }
}
