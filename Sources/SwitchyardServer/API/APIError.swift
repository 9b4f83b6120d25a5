import Foundation
import Hummingbird

/// An error the API answers with: `{"error": {"code", "message", "details"}}` and its status.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// Stable, kebab-case, for programs: `not-found`, `lock-held`, `nothing-live`…
    public var code: String
    /// For people: what went wrong and what to do.
    public var message: String
    public var details: [String: String]

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(Body(error: .init(code: code, message: message, details: details)), status: status)
    }

    struct Body: Codable {
        struct Content: Codable {
            var code: String
            var message: String
            var details: [String: String]
        }
        var error: Content
    }

    static func notFound(_ what: String, _ id: String) -> APIError {
        APIError(.notFound, code: "not-found", message: "no \(what) \(id)", details: [what: id])
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "bad-request", message: message)
    }
}
