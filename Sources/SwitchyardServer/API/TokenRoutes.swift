import Foundation
import Hummingbird
import SwitchyardRuntime

/// `/v1/tokens` (admin): create (the secret is in the answer, once), list (never a secret or hash), revoke (204).
/// Creating and revoking are audited before they act, by `TokenAdmin`.
enum TokenRoutes {
    static func add(to routes: GuardedRoutes, store: any StateStore) {
        routes.admin.get("/v1/tokens") { _, _ in
            do throws(TokenAdmin.Failure) { return JSONResponse.make(TokenListView(tokens: try await TokenAdmin.list(in: store))) } catch { throw apiError(error) }
        }

        routes.admin.post("/v1/tokens") { request, context in
            let body = try await JSONResponse.decode(CreateTokenRequest.self, from: request)
            let role: TokenRole
            do throws(TokenAdmin.Failure) { role = try TokenAdmin.role(body.role) } catch { throw apiError(error) }
            guard TokenAdmin.isValidName(body.name) else { throw apiError(.invalidName(body.name)) }
            let (record, secret): (TokenRecord, String)
            do throws(TokenAdmin.Failure) { (record, secret) = try await TokenAdmin.create(name: body.name, role: role, in: store, actor: context.actor) } catch {
                throw apiError(error)
            }
            return JSONResponse.make(CreatedTokenView(record, token: secret), status: .created)
        }

        routes.admin.delete("/v1/tokens/:name") { _, context in
            let name = try context.parameters.require("name")
            do throws(TokenAdmin.Failure) { try await TokenAdmin.revoke(name: name, in: store, actor: context.actor) } catch { throw apiError(error) }
            return Response(status: .noContent)
        }
    }

    static func apiError(_ failure: TokenAdmin.Failure) -> APIError {
        switch failure {
        case .invalidName, .invalidRole: APIError.badRequest(failure.description)
        case .exists(let name): APIError(.conflict, code: "token-exists", message: failure.description, details: ["name": name])
        case .notFound(let name): APIError.notFound("token", name)
        case .store(let message): APIError(.serviceUnavailable, code: "state-store", message: message)
        }
    }
}
