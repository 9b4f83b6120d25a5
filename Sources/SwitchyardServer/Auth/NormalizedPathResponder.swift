import Hummingbird

/// Puts every request path in its normal form (`RequestPath`) before anything reads it, so authentication, routing,
/// metrics and logs all see one path. A path that cannot be normalised is answered 400 `bad-path` here.
struct NormalizedPathResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == YarddRequestContext {
    typealias Context = YarddRequestContext
    let next: Next

    func respond(to request: Request, context: Context) async throws -> Response {
        let raw = request.uri.path
        let normal: String
        do throws(RequestPath.Refusal) {
            normal = try RequestPath.normalize(raw)
        } catch {
            return try APIError(.badRequest, code: "bad-path", message: error.description).response(from: request, context: context)
        }
        guard normal != raw else { return try await next.respond(to: request, context: context) }
        var head = request.head
        head.path = normal + (request.uri.query.map { "?" + $0 } ?? "")
        return try await next.respond(to: Request(head: head, body: request.body), context: context)
    }
}
