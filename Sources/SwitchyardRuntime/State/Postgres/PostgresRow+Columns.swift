import PostgresNIO

/// Reading columns without trapping, as `Row+Columns` does for SQLite: a value that is not what the schema promises
/// becomes `StateStoreError.unreadableValue` instead of a crash.
extension PostgresRandomAccessRow: StateStoreRow {
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

    func text(_ column: String, in table: String) throws(StateStoreError) -> String { try value(column, in: table, as: String.self) }
    func optionalText(_ column: String, in table: String) throws(StateStoreError) -> String? { try optional(column, in: table, as: String.self) }
}
