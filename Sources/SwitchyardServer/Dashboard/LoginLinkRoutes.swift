import Foundation
import Hummingbird

/// `POST /v1/ui/links` (viewer; a bearer token, since a cookie never authenticates a post): a one-time dashboard login
/// link for the token that asks, valid for a minute, that opens a session and goes to `next` (a dashboard path).
enum LoginLinkRoutes {
    struct LinkRequest: Codable { var next: String? }
    struct LinkView: Codable { var path: String; var next: String; var expiresAt: Date }

    static func add(to routes: GuardedRoutes, sessions: DashboardSessions) {
        routes.viewer.post("/v1/ui/links") { request, context in
            guard let token = context.token else { throw APIError(.unauthorized, code: "unauthorized", message: "this route needs a bearer token") }
            let buffer = try await request.body.collect(upTo: 1 << 14)
            let body: LinkRequest
            do {
                body = buffer.readableBytes == 0 ? LinkRequest(next: nil) : try JSONDecoder().decode(LinkRequest.self, from: Data(buffer: buffer))
            } catch { throw APIError.badRequest("the body must be {\"next\": \"/ui/…\"} or empty: \(error)") }
            let next = LoginTarget.checked(body.next)
            let (secret, expires) = await sessions.makeLink(tokenHash: token.hash, next: next)
            return JSONResponse.make(LinkView(path: "/ui/login/\(secret)", next: next, expiresAt: expires), status: .created)
        }
    }
}
