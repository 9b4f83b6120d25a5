import Foundation

/// The dashboard's cookie: `yard_session`, holding a session id (never the token), `HttpOnly` (no script reads it),
/// `SameSite=Strict` (no other site's page sends it), `Path=/` (the event streams under /v1 need it), `Secure` over TLS.
enum SessionCookie {
    static let name = "yard_session"

    /// The session id in a `Cookie` header, if there is one.
    static func value(_ header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }

    static func set(_ id: String, maxAge: TimeInterval, secure: Bool) -> String {
        "\(name)=\(id); Path=/; Max-Age=\(Int(maxAge)); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
