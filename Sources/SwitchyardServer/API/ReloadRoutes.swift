import Foundation
import Hummingbird
import SwitchyardCore

/// `POST /v1/reload` (admin): reads the manifests again, audited before it acts. A valid set replaces the
/// served one at once (running releases keep theirs); an invalid one is 422 `invalid-manifests` with its
/// located errors, and the previous set keeps serving.
enum ReloadRoutes {
    static func add(to routes: GuardedRoutes, reloader: ManifestReloader, auditor: Auditor) {
        routes.admin.post("/v1/reload") { _, context in
            let summary = try await auditor.perform(actor: context.actor, action: "manifests.reload", target: reloader.catalog.current.directory) {
                do {
                    return try reloader.reload(trigger: "POST /v1/reload by \(context.actor)")
                } catch let error as ManifestCatalog.Invalid {
                    throw APIError.invalidManifests(error.diagnostics)
                }
            }
            return JSONResponse.make(summary)
        }
    }
}

extension APIError {
    /// A manifest set that does not load: the first error located in `details` (`file`, `line`, `column`,
    /// `path`, `message`), every one of them in `details.diagnostics`, one per line.
    static func invalidManifests(_ diagnostics: [ManifestDiagnostic]) -> APIError {
        var details = ["count": "\(diagnostics.count)", "diagnostics": diagnostics.map(\.description).joined(separator: "\n")]
        if let first = diagnostics.first {
            details["file"] = first.location.file
            details["line"] = "\(first.location.line)"
            details["column"] = "\(first.location.column)"
            details["path"] = first.path
            details["message"] = first.message
        }
        let first = diagnostics.first.map { ": \($0)" } ?? ""
        return APIError(.unprocessableContent, code: "invalid-manifests",
                        message: "the manifests do not load (\(diagnostics.count) error(s))\(first); the previous ones keep serving. Fix them and reload again",
                        details: details)
    }
}
