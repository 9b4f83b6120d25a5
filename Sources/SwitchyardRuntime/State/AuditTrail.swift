import Foundation

/// The audit log as every entry point writes it (the API, the CLI on a local store, the scheduler): a mutation is
/// recorded as `requested` before it acts, then `accepted`, or `refused` with why. Written where the mutation is made
/// (the release and drill runners, token administration), so no entry point can skip it.
public struct AuditTrail: Sendable {
    public let store: any StateStore

    public init(store: any StateStore) { self.store = store }

    /// Records that `actor` asks for `action` on `target`; a store that cannot record it refuses the mutation.
    public func requested(actor: String, action: String, target: String, detail: String? = nil) async throws(StateStoreError) {
        try await store.appendAudit(AuditEntry(at: Date(), actor: actor, action: action, target: target, outcome: "requested", detail: detail))
    }

    /// Records how it went: `accepted`, or `refused` with `refusal`.
    public func outcome(actor: String, action: String, target: String, refusal: String? = nil) async {
        let entry = AuditEntry(at: Date(), actor: actor, action: action, target: target, outcome: refusal == nil ? "accepted" : "refused",
                               detail: refusal)
        _ = try? await store.appendAudit(entry)
    }

    /// Audits `body`: `requested` first, then its outcome (a thrown error is `refused` with `describe(error)`), and
    /// rethrows the error as it was.
    nonisolated(nonsending) public func perform<T: Sendable>(actor: String, action: String, target: String, detail: String? = nil,
                                     describe: (any Error) -> String = { "\($0)" }, _ body: () async throws -> T) async throws -> T {
        try await requested(actor: actor, action: action, target: target, detail: detail)
        do {
            let value = try await body()
            await outcome(actor: actor, action: action, target: target)
            return value
        } catch {
            await outcome(actor: actor, action: action, target: target, refusal: describe(error))
            throw error
        }
    }

    /// Who acts from a command line on this machine: the login name, marked as such.
    public static var localActor: String {
        let environment = ProcessInfo.processInfo.environment
        return "\(environment["USER"] ?? environment["LOGNAME"] ?? "user")@cli"
    }
}
