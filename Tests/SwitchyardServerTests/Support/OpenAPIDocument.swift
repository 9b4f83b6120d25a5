import Foundation
import Yams

/// docs/openapi.yaml, read with Yams, and a validator for the part of JSON Schema the document uses:
/// `type`, `required`, `properties`, `items`, `enum`, `additionalProperties` and `$ref` to components.
///
/// Stricter than JSON Schema on one point, on purpose: an object's properties are closed unless the schema
/// has `additionalProperties`, so a field the server renames or adds without documenting it is an error.
struct OpenAPIDocument {
    let root: [String: Any]

    static func load(_ url: URL = DaemonHarness.repositoryRoot.appendingPathComponent("docs/openapi.yaml")) throws -> OpenAPIDocument {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let root = normalize(try Yams.load(yaml: text)) as? [String: Any] else { throw Problem("openapi.yaml is not a mapping") }
        return OpenAPIDocument(root: root)
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Yams mappings as `[String: Any]`, all the way down.
    static func normalize(_ value: Any?) -> Any {
        switch value {
        case let mapping as [AnyHashable: Any]:
            var result: [String: Any] = [:]
            for (key, item) in mapping { result["\(key.base)"] = normalize(item) }
            return result
        case let mapping as [String: Any]:
            return mapping.mapValues { normalize($0) }
        case let sequence as [Any]:
            return sequence.map { normalize($0) }
        case let value?:
            return value
        case nil:
            return NSNull()
        }
    }

    var paths: [String: Any] { root["paths"] as? [String: Any] ?? [:] }

    /// Every documented operation as `METHOD template`.
    var operations: [String] {
        paths.flatMap { path, item in
            ((item as? [String: Any]) ?? [:]).keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        }.sorted()
    }

    /// The documented path template a concrete path matches (`/v1/releases/rel-1` → `/v1/releases/{id}`).
    func template(for path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return paths.keys.sorted().first { template in
            let pattern = template.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == parts.count else { return false }
            return zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    /// The response object documented for `method template status` (a `$ref` to components/responses followed).
    func response(method: String, template: String, status: Int) throws -> [String: Any] {
        guard let item = paths[template] as? [String: Any], let operation = item[method.lowercased()] as? [String: Any] else {
            throw Problem("\(method) \(template) is not documented")
        }
        guard let responses = operation["responses"] as? [String: Any], let response = responses["\(status)"] as? [String: Any] else {
            throw Problem("\(method) \(template) does not document status \(status)")
        }
        return try resolve(response)
    }

    /// The schema of a response's content type, nil when the response has no body.
    func schema(of response: [String: Any], contentType: String) throws -> [String: Any]? {
        guard let content = response["content"] as? [String: Any] else { return nil }
        guard let media = content[contentType] as? [String: Any] else {
            throw Problem("no \(contentType) content documented (documented: \(content.keys.sorted()))")
        }
        return media["schema"] as? [String: Any]
    }

    func resolve(_ object: [String: Any]) throws -> [String: Any] {
        guard let reference = object["$ref"] as? String else { return object }
        guard reference.hasPrefix("#/") else { throw Problem("external $ref \(reference)") }
        var node: Any = root
        for key in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(key)] else { throw Problem("$ref \(reference) leads nowhere") }
            node = next
        }
        guard let resolved = node as? [String: Any] else { throw Problem("$ref \(reference) is not an object") }
        return try resolve(resolved)
    }

    /// Every way `value` departs from `schema`, each with its JSON path; empty when it conforms.
    func violations(of value: Any, against schema: [String: Any], at path: String = "$") throws -> [String] {
        let schema = try resolve(schema)
        var found: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        guard let type = schema["type"] as? String else { return found }
        switch type {
        case "object":
            guard let object = value as? [String: Any] else { return found + ["\(path): expected an object, got \(value)"] }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path): lacks the required field \(name)")
            }
            for (name, item) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] as? [String: Any] {
                    found += try violations(of: item, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += try violations(of: item, against: additional, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool != true {
                    found.append("\(path): field \(name) is not documented")
                }
            }
        case "array":
            guard let array = value as? [Any] else { return found + ["\(path): expected an array, got \(value)"] }
            if let items = schema["items"] as? [String: Any] {
                for (index, item) in array.enumerated() { found += try violations(of: item, against: items, at: "\(path)[\(index)]") }
            }
        case "string":
            if !(value is String) { found.append("\(path): expected a string, got \(value)") }
        case "integer":
            if !Self.isNumber(value) || (value as? NSNumber).map({ $0.doubleValue != $0.doubleValue.rounded() }) == true {
                found.append("\(path): expected an integer, got \(value)")
            }
        case "number":
            if !Self.isNumber(value) { found.append("\(path): expected a number, got \(value)") }
        case "boolean":
            if !Self.isBoolean(value) { found.append("\(path): expected a boolean, got \(value)") }
        default:
            throw Problem("\(path): the validator does not know type \(type)")
        }
        return found
    }

    /// JSONSerialization gives NSNumber for numbers and booleans alike (and `1 is Bool` holds); a boolean's
    /// Objective-C type is `c`, a JSON number's never is.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func isNumber(_ value: Any) -> Bool { value is NSNumber && !isBoolean(value) }
}
