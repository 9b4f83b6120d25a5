import Hummingbird
import NIOCore

/// Every error leaves in the API's shape: Hummingbird's own (unknown route, wrong method, body too large)
/// and anything unexpected (500) too.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError(.contentTooLarge, code: "body-too-large", message: "the request body is larger than this route accepts")
                .response(from: request, context: context)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not-found" : error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
            let message = error.status == .notFound ? "no route \(request.method) \(request.uri.path)" : (error.body ?? error.status.reasonPhrase)
            return try APIError(error.status, code: code, message: message).response(from: request, context: context)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return try APIError(.internalServerError, code: "internal", message: "\(error)").response(from: request, context: context)
        }
    }
}
