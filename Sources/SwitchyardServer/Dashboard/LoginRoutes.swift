import Foundation
import Hummingbird
import SwitchyardRuntime

/// The dashboard's way in, registered before `AuthMiddleware` (these routes are open; each checks what it is given):
/// - `GET /ui/login`: a form for a token; `POST /ui/login` checks it (a form post from this daemon's own page only:
///   an `Origin` naming another host is refused) and sets the session cookie.
/// - `GET /ui/login/{link}`: a one-time link made by `POST /v1/ui/links` (guarded, see `LoginLinkRoutes`): opens a
///   session and goes on, so a person (or a test) passes a token once, out of band, and never through a URL.
/// - `POST /ui/logout`: ends the session of the cookie it comes with.
/// Every failure is 401 with the form again, and says nothing about which part was wrong beyond "unknown or revoked".
/// Each session opened is audited (`ui.session`, the token's name as the actor).
enum LoginRoutes {
    static func add(to router: Router<YarddRequestContext>, store: any StateStore, sessions: DashboardSessions, secure: Bool) {
        router.get("/ui/login") { request, _ in
            DashboardHTML.response(form(next: LoginTarget.checked(request.uri.queryParameters.get("next")), error: nil))
        }

        router.post("/ui/login") { request, _ in
            guard sameOrigin(request) else {
                return DashboardHTML.response(form(next: "/ui", error: "this form only accepts posts from this daemon's own login page"), status: .forbidden)
            }
            let fields = formFields(String(buffer: try await request.body.collect(upTo: 1 << 14)))
            let next = LoginTarget.checked(fields["next"])
            guard let token = fields["token"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
                return DashboardHTML.response(form(next: next, error: "paste a token (yard_…)"), status: .unauthorized)
            }
            let record: TokenRecord?
            do { record = try await APIToken.authenticate(token, store: store) } catch { throw APIError.store(error) }
            guard let record else { return DashboardHTML.response(form(next: next, error: "unknown or revoked token"), status: .unauthorized) }
            return try await enter(record, via: "login form", next: next, store: store, sessions: sessions, secure: secure)
        }

        router.get("/ui/login/:link") { _, context in
            let secret = try context.parameters.require("link")
            guard let entry = await sessions.redeem(link: secret) else {
                return DashboardHTML.response(form(next: "/ui", error: "this login link was used already or has expired; ask for a new one"),
                                              status: .unauthorized)
            }
            // The token may have been revoked since the link was made.
            let record: TokenRecord?
            do { record = try await store.token(hash: entry.tokenHash) } catch { throw APIError.store(error) }
            guard let record else { return DashboardHTML.response(form(next: "/ui", error: "unknown or revoked token"), status: .unauthorized) }
            return try await enter(record, via: "login link", next: entry.next, store: store, sessions: sessions, secure: secure)
        }

        router.post("/ui/logout") { request, _ in
            if let id = SessionCookie.value(request.headers[.cookie]) { await sessions.close(session: id) }
            return Response(status: .seeOther, headers: [.location: "/ui/login", .setCookie: SessionCookie.clear(secure: secure), .cacheControl: "no-store"])
        }
    }

    /// Opens a session for `record`, audited as `ui.session` by the token's name (the session id is not recorded).
    private static func enter(_ record: TokenRecord, via: String, next: String, store: any StateStore, sessions: DashboardSessions,
                              secure: Bool) async throws -> Response {
        let id = try await Auditor(store: store).perform(actor: record.name, action: "ui.session", target: "dashboard", detail: via) {
            await sessions.open(tokenHash: record.hash)
        }
        return Response(status: .seeOther, headers: [.location: next, .setCookie: SessionCookie.set(id, maxAge: sessions.sessionLifetime, secure: secure),
                                                     .cacheControl: "no-store"])
    }

    /// A post with no `Origin` (an older client) or one whose host is the `Host` it was sent to.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = originHost + (url.port.map { ":\($0)" } ?? "")
        return originAuthority.lowercased() == host.lowercased()
    }

    /// `application/x-www-form-urlencoded`, as a browser sends a form.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func form(next: String, error: String?) -> String {
        let escape = DashboardHTML.escape
        let body = (error.map { "<p class=\"refused\">\(escape($0))</p>" } ?? "") + """
        <form class="login" method="post" action="/ui/login">
        <label for="token">API token (any role; viewer is enough)</label>
        <input id="token" name="token" type="password" autocomplete="off" placeholder="yard_…" required>
        <input type="hidden" name="next" value="\(escape(next))">
        <button type="submit">Log in</button>
        </form>
        <p class="hint">The token is checked once; the browser keeps only a session cookie (HttpOnly, SameSite=Strict), which ends when the
        daemon restarts, after 12 hours, or when the token is revoked. <code>yardd token create --name NAME --role viewer</code> makes a token.</p>
        """
        return DashboardHTML.page("Log in", section: nil, body: body)
    }
}
