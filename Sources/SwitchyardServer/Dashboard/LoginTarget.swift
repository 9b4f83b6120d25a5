import Foundation

/// Where a login may send the browser afterwards: only a dashboard path on this daemon (`/ui` or under it, in normal
/// form), never another site (`//host`, `https://…`) or an API route. Anything else goes to `/ui`.
enum LoginTarget {
    static func checked(_ next: String?) -> String {
        guard let next, let normal = try? RequestPath.normalize(next), normal == next, next == "/ui" || next.hasPrefix("/ui/"),
              !next.hasPrefix("/ui/login"), next.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\\" }) else { return "/ui" }
        return next
    }

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? "/ui"
    }
}
