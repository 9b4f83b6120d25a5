import Foundation
import Yams

/// Turns the bytes of a manifest file into YAML documents, or into located errors.
/// Never crashes and never hangs: size, binary content, nesting and alias expansion are bounded.
public enum ManifestSource {
    /// Manifests are small; anything past this is a mistake (a log, a dump), refused before parsing.
    public static let maximumBytes = 1 << 20
    /// A bound on the number of nodes in one file, alias expansion included.
    public static let maximumNodes = 100_000
    /// A bound on nesting depth.
    public static let maximumDepth = 64

    /// The documents of one file (YAML allows several, separated by `---`).
    public static func documents(bytes: [UInt8], file: String) -> Result<[YAMLNode], ManifestDiagnostic> {
        func failure(_ message: String, line: Int = 1, column: Int = 1) -> Result<[YAMLNode], ManifestDiagnostic> {
            .failure(ManifestDiagnostic(location: SourceLocation(file: file, line: line, column: column), path: "", message: message))
        }
        if bytes.count > maximumBytes {
            return failure("file is \(bytes.count) bytes; a manifest may be at most \(maximumBytes) bytes (1 MiB)")
        }
        if let nul = bytes.firstIndex(of: 0) {
            let (line, column) = position(of: nul, in: bytes)
            return failure("file holds binary data (a NUL byte), not YAML text", line: line, column: column)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(bytes)
            let (line, column) = position(of: offset, in: bytes)
            return failure("file is not UTF-8 text (invalid byte 0x\(String(bytes[offset], radix: 16)))", line: line, column: column)
        }
        if text.allSatisfy({ $0.isWhitespace }) {
            return failure("file is empty; expected a manifest with apiVersion and kind")
        }
        if let control = text.unicodeScalars.enumerated().first(where: { isForbiddenControl($0.element) }) {
            let prefix = String(String.UnicodeScalarView(text.unicodeScalars.prefix(control.offset)))
            let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            let column = (prefix.split(separator: "\n", omittingEmptySubsequences: false).last?.unicodeScalars.count ?? 0) + 1
            return failure("file holds a control character (U+\(String(control.element.value, radix: 16, uppercase: true))) that YAML does not allow", line: line, column: column)
        }
        do {
            var result: [YAMLNode] = []
            let parser = try Parser(yaml: text)
            var budget = maximumNodes
            while let root = try parser.nextRoot() {
                result.append(try convert(root, file: file, depth: 0, budget: &budget))
            }
            if result.isEmpty { return failure("file holds no YAML document; expected a manifest with apiVersion and kind") }
            return .success(result)
        } catch let error as ManifestDiagnostic {
            return .failure(error)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file))
        } catch {
            return failure("cannot read YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws -> YAMLNode {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget -= 1
        if budget < 0 {
            throw ManifestDiagnostic(location: location, path: "", message: "document has more than \(maximumNodes) values (aliases expanded); a manifest is far smaller")
        }
        if depth > maximumDepth {
            throw ManifestDiagnostic(location: location, path: "", message: "values nested more than \(maximumDepth) deep")
        }
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, location, quoted: scalar.style != .plain)
        case .sequence(let sequence):
            return .sequence(try sequence.map { try convert($0, file: file, depth: depth + 1, budget: &budget) }, location)
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)] = []
            for (key, value) in mapping {
                let keyLocation = SourceLocation(file: file, line: key.mark?.line ?? location.line, column: key.mark?.column ?? location.column)
                guard case .scalar(let keyScalar) = key else {
                    throw ManifestDiagnostic(location: keyLocation, path: "", message: "a key must be a plain name, not a list or a mapping")
                }
                pairs.append((keyScalar.string, keyLocation, try convert(value, file: file, depth: depth + 1, budget: &budget)))
            }
            return .mapping(pairs, location)
        case .alias:
            throw ManifestDiagnostic(location: location, path: "", message: "YAML aliases are not supported in manifests; write the value out")
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> ManifestDiagnostic {
        func at(_ mark: Mark, _ message: String) -> ManifestDiagnostic {
            ManifestDiagnostic(location: SourceLocation(file: file, line: mark.line, column: mark.column), path: "", message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let suffix = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return at(mark, "not valid YAML: \(problem)\(suffix)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark, "key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appears more than once in one mapping")
        case .reader(let problem, let offset, _, _):
            return ManifestDiagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "cannot read YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ManifestDiagnostic(location: SourceLocation(file: file, line: 1, column: 1), path: "", message: "cannot read YAML: \(error)")
        }
    }

    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x09 || v == 0x0A || v == 0x0D { return false }
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)
    }

    private static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The offset of the first byte that does not start or continue a well-formed UTF-8 sequence.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return max(0, bytes.count - 1)
    }
}
