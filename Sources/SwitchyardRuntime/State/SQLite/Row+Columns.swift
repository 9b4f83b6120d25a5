import Foundation
import GRDB

/// Reading columns without trapping: a value that is not what the schema promises becomes
/// `StateStoreError.unreadableValue` instead of a crash.
extension Row: StateStoreRow {
    func value<T: DatabaseValueConvertible>(_ column: String, in table: String, as type: T.Type = T.self) throws(StateStoreError) -> T {
        let raw: DatabaseValue = self[column]
        guard let value = T.fromDatabaseValue(raw) else {
            throw .unreadableValue(table: table, column: column, value: raw.isNull ? "NULL" : raw.description)
        }
        return value
    }

    func optional<T: DatabaseValueConvertible>(_ column: String, in table: String, as type: T.Type = T.self) throws(StateStoreError) -> T? {
        let raw: DatabaseValue = self[column]
        if raw.isNull { return nil }
        return try value(column, in: table, as: type)
    }

    func text(_ column: String, in table: String) throws(StateStoreError) -> String { try value(column, in: table, as: String.self) }
    func optionalText(_ column: String, in table: String) throws(StateStoreError) -> String? { try optional(column, in: table, as: String.self) }
}
