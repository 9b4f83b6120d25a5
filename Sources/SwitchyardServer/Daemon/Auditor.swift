import Foundation
import SwitchyardRuntime

/// The API's side of the audit log: `AuditTrail`, with failures in the API's shape. The store and runner layers audit
/// what they do themselves (release starts, drill runs, tokens); the routes audit the rest (reloads, promote, abort).
struct Auditor: Sendable {
    let store: any StateStore

    /// Audits `body`: `requested` first, then its outcome; an error leaves as the API error it maps to (a store that
    /// cannot record the request: 503, and nothing is done).
    func perform<T: Sendable>(actor: String, action: String, target: String, detail: String? = nil,
                              _ body: () async throws -> T) async throws -> T {
        do {
            return try await AuditTrail(store: store).perform(actor: actor, action: action, target: target, detail: detail,
                                                              describe: { error in let api = APIError.releaseRefused(error); return "\(api.code): \(api.message)" }, body)
        } catch {
            throw APIError.releaseRefused(error)
        }
    }
}
