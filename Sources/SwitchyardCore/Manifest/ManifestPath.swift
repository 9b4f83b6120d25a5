/// Paths that manifests write into other files (nginx's prefix and configuration): what may appear in them.
enum ManifestPath {
    /// Printable ASCII and non-ASCII letters, but none of white space, control characters, `;`, `{`, `}`, `#`, `"`,
    /// `'`, `$` or `\\`, at most 1024 bytes: nginx would read any of those as syntax.
    static func isSafe(_ path: String) -> Bool {
        guard (1...1024).contains(path.utf8.count) else { return false }
        return path.unicodeScalars.allSatisfy { scalar in
            !(scalar.value < 0x21 || scalar.value == 0x7f || scalar.properties.isWhitespace || ";{}#\"'$\\".unicodeScalars.contains(scalar))
        }
    }
}
