import PostgresNIO

/// Reading columns without trapping, as `Row+Columns` does for SQLite: a value that is not what the schema promises
/// becomes `StateStoreError.unreadableValue` instead of a crash.
extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, in table: String, as type: T.Type = T.self) throws(StateStoreError) -> T {
        let cell = self[column]
        do {
            return try cell.decode(T.self)
        } catch {
            throw .unreadableValue(table: table, column: column, value: cell.bytes == nil ? "NULL" : "a \(cell.dataType) value")
        }
    }

    func optional<T: PostgresDecodable>(_ column: String, in table: String, as type: T.Type = T.self) throws(StateStoreError) -> T? {
        if self[column].bytes == nil { return nil }
        return try value(column, in: table, as: type)
    }

    func raw<E: RawRepresentable>(_ column: String, in table: String, as type: E.Type = E.self) throws(StateStoreError) -> E where E.RawValue == String {
        let text = try value(column, in: table, as: String.self)
        guard let value = E(rawValue: text) else { throw .unreadableValue(table: table, column: column, value: text) }
        return value
    }

    func optionalRaw<E: RawRepresentable>(_ column: String, in table: String, as type: E.Type = E.self) throws(StateStoreError) -> E? where E.RawValue == String {
        guard let text = try optional(column, in: table, as: String.self) else { return nil }
        guard let value = E(rawValue: text) else { throw .unreadableValue(table: table, column: column, value: text) }
        return value
    }

    func json(_ column: String, in table: String) throws(StateStoreError) -> JSONText {
        JSONText(text: try value(column, in: table, as: String.self))
    }

    func optionalJSON(_ column: String, in table: String) throws(StateStoreError) -> JSONText? {
        try optional(column, in: table, as: String.self).map(JSONText.init(text:))
    }
}
