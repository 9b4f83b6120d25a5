import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's page frame and HTML helpers: one layout (navigation, the stylesheet, the live-update script),
/// escaping, and the headers every page carries: no caching, no sniffing, no framing, scripts from the daemon only.
enum DashboardHTML {
    enum Section: String, CaseIterable {
        case fleet, releases, drills, capacity

        var path: String {
            switch self {
            case .fleet: "/ui"
            case .releases: "/ui/releases"
            case .drills: "/ui/drills"
            case .capacity: "/ui/capacity"
            }
        }

        var title: String {
            switch self {
            case .fleet: "Fleet"
            case .releases: "Releases"
            case .drills: "Drills"
            case .capacity: "Capacity"
            }
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    /// `2026-12-02 03:54:14Z`.
    static func time(_ date: Date?) -> String {
        guard let date else { return "" }
        let text = ISO8601DateFormatter().string(from: date)
        return text.replacingOccurrences(of: "T", with: " ")
    }

    /// A whole page: `body` inside the frame, `section` marked in the navigation.
    static func page(_ title: String, section: Section?, body: String) -> String {
        let nav = Section.allCases.map { item in
            "<a href=\"\(item.path)\"\(item == section ? " class=\"active\"" : "")>\(item.title)</a>"
        }.joined()
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · yardd</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/ui/assets/dashboard.css"><script src="/ui/assets/live.js" defer></script></head>
        <body><header><strong>Switchyard</strong><nav>\(nav)</nav><form method="post" action="/ui/logout"><button>Log out</button></form></header>
        <main><h1>\(escape(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
    ]

    static func response(_ html: String, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var fields = headers
        fields.append(contentsOf: extra)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// What a request under `/ui` without a valid token or session gets: 401, and a link to the login form.
    static func loginRequired(_ message: String, path: String) -> Response {
        let next = path == "/ui/login" ? "/ui" : path
        let body = "<p class=\"refused\">\(escape(message))</p><p><a href=\"/ui/login?next=\(escape(LoginTarget.percentEncode(next)))\">Log in with a token</a></p>"
        return response(page("Login required", section: nil, body: body), status: .unauthorized)
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
