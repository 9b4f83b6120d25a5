/// What a version may be: 1 to 64 of `A-Z a-z 0-9 . _ + -`. A version reaches command lines, HTTP headers, nginx
/// configuration and file names, so nothing else gets through (no spaces, quotes, slashes, `;` or `$`).
public enum ReleaseVersion {
    public static let maxLength = 64

    public static func isValid(_ version: String) -> Bool {
        (1...maxLength).contains(version.utf8.count) && version.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    /// Why `version` is refused, for a person: what is allowed.
    public static func problem(_ version: String) -> String {
        "version \"\(version)\" is not allowed: use 1 to \(maxLength) of the characters A-Z a-z 0-9 . _ + - (it reaches command lines, headers and file names)"
    }
}
