import Hummingbird
import SwitchyardRuntime

/// `GET /v1/audit?limit=`: the audit log, newest first.
enum AuditRoutes {
    static func add(to routes: GuardedRoutes, store: any StateStore) {
        routes.viewer.get("/v1/audit") { request, _ in
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
            guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be between 1 and 1000 (got \(limit))") }
            do {
                return JSONResponse.make(AuditView(entries: try await store.listAudit(limit: limit).map(AuditEntryView.init)))
            } catch { throw APIError.store(error) }
        }
    }
}
