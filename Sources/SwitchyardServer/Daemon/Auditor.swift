import Foundation
import SwitchyardRuntime

/// Writes the audit log: each mutation is recorded as `requested` before it acts, then with how it went.
struct Auditor: Sendable {
    let store: any StateStore

    /// Call before acting; a store that cannot record it refuses the mutation (503).
    func requested(actor: String, action: String, target: String, detail: String? = nil) async throws(APIError) {
        do {
            try await store.appendAudit(AuditEntry(at: Date(), actor: actor, action: action, target: target, outcome: "requested", detail: detail))
        } catch {
            throw APIError.store(error)
        }
    }

    /// Call after acting: `accepted`, or `refused` with the error's code and message.
    func outcome(actor: String, action: String, target: String, error: APIError? = nil) async {
        let entry = AuditEntry(at: Date(), actor: actor, action: action, target: target, outcome: error == nil ? "accepted" : "refused",
                               detail: error.map { "\($0.code): \($0.message)" })
        _ = try? await store.appendAudit(entry)
    }

    /// Audits `body`: `requested` first, then its outcome; an error leaves as the API error it maps to.
    func perform<T: Sendable>(actor: String, action: String, target: String, detail: String? = nil,
                              _ body: () async throws -> T) async throws -> T {
        try await requested(actor: actor, action: action, target: target, detail: detail)
        do {
            let value = try await body()
            await outcome(actor: actor, action: action, target: target)
            return value
        } catch {
            let apiError = APIError.releaseRefused(error)
            await outcome(actor: actor, action: action, target: target, error: apiError)
            throw apiError
        }
    }
}
