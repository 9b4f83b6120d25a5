/// The one form of a request path that authentication and routing both see.
///
/// Rules, applied once before anything reads the path:
/// 1. Percent-encoding is decoded (`%2e` is `.`); an encoded `/`, `\`, NUL, `?`, `#` or `%`, a `%` not followed by two
///    hex digits, or bytes that are not UTF-8 are refused: they would let two readers see two different paths.
/// 2. Empty segments (`//`) and `.` segments are dropped; `..` removes the segment before it, and a `..` above the
///    root is refused.
/// 3. The result starts with `/` and has no trailing `/` (the root is `/`).
///
/// So `//v1/tokens`, `/v1//tokens`, `/v1/./tokens`, `/v1/%2e/tokens`, `/v1/x/../tokens` and `/v1/tokens/` are all
/// `/v1/tokens`.
public enum RequestPath {
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case badEncoding(String)
        case encodedSeparator(String)
        case aboveRoot(String)
        case notAbsolute(String)

        public var description: String {
            switch self {
            case .badEncoding(let path): "the path \(path) has a malformed percent-encoding or is not UTF-8"
            case .encodedSeparator(let path): "the path \(path) percent-encodes a separator or a reserved byte (/ \\ NUL ? # %), which is refused"
            case .aboveRoot(let path): "the path \(path) climbs above the root with .."
            case .notAbsolute(let path): "the path \(path) does not start with /"
            }
        }
    }

    /// The normal form of `raw` (a path without its query), or why it is refused.
    public static func normalize(_ raw: String) throws(Refusal) -> String {
        guard raw.hasPrefix("/") else { throw .notAbsolute(raw) }
        var segments: [String] = []
        for encoded in raw.split(separator: "/", omittingEmptySubsequences: true) {
            let segment = try decode(encoded, in: raw)
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty else { throw .aboveRoot(raw) }
                segments.removeLast()
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    private static func decode(_ segment: Substring, in raw: String) throws(Refusal) -> String {
        guard segment.contains("%") else { return String(segment) }
        var bytes: [UInt8] = []
        var iterator = Array(segment.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { throw .badEncoding(raw) }
            let decoded = high << 4 | low
            guard !refusedWhenEncoded.contains(decoded) else { throw .encodedSeparator(raw) }
            bytes.append(decoded)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badEncoding(raw) }
        return text
    }

    /// Bytes that change how a path is split or read again once decoded: `/`, `\\`, NUL, `?`, `#` and `%` itself
    /// (so nothing is decoded twice).
    private static let refusedWhenEncoded: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "\\"), 0, UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "%")]

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
