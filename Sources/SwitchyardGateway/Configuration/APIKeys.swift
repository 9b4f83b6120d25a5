import Foundation

/// Reads an API-keys file: one key per line; blank lines and lines starting with `#` are skipped.
public enum APIKeys {
    public struct LoadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func load(path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, reason: "cannot read the API-keys file (one key per line expected)")
        }
        let keys = parse(String(decoding: data, as: UTF8.self))
        guard !keys.isEmpty else {
            throw LoadError(path: path, reason: "holds no key; write one key per line, or leave --api-keys out to turn auth off")
        }
        return keys
    }

    /// Reads the one upstream key from a file (the first line that is not blank or a comment).
    public static func loadOne(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(path: path, reason: "cannot read the upstream key file (one key on a line expected)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let key = lines.first else {
            throw LoadError(path: path, reason: "holds no key; write the upstream API key on one line")
        }
        return key
    }

    public static func parse(_ text: String) -> Set<String> {
        Set(
            text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        )
    }
}
