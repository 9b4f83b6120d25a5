import Foundation

/// A JSON document as stored: the release machine, a journaled action or event, a restore action, a report.
public struct JSONText: Sendable, Hashable, CustomStringConvertible {
    public var text: String

    public init(text: String) { self.text = text }

    /// Encodes `value` with sorted keys, so equal values store equal text.
    public init<T: Encodable>(encoding value: T) throws(StateStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            text = String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .json(what: String(describing: T.self), reason: "\(error)")
        }
    }

    public func decode<T: Decodable>(_ type: T.Type) throws(StateStoreError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .json(what: String(describing: T.self), reason: "\(error)")
        }
    }

    public var description: String { text }
}
