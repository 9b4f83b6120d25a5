/// A row of either store, read by column: what the SQLite row and the PostgreSQL row give (text, or nil for NULL),
/// and what both stores build on it (enums from their raw text, JSON columns), written once.
protocol StateStoreRow {
    func text(_ column: String, in table: String) throws(StateStoreError) -> String
    func optionalText(_ column: String, in table: String) throws(StateStoreError) -> String?
}

extension StateStoreRow {
    func raw<E: RawRepresentable>(_ column: String, in table: String, as type: E.Type = E.self) throws(StateStoreError) -> E where E.RawValue == String {
        let text = try text(column, in: table)
        guard let value = E(rawValue: text) else { throw .unreadableValue(table: table, column: column, value: text) }
        return value
    }

    func optionalRaw<E: RawRepresentable>(_ column: String, in table: String, as type: E.Type = E.self) throws(StateStoreError) -> E? where E.RawValue == String {
        guard let text = try optionalText(column, in: table) else { return nil }
        guard let value = E(rawValue: text) else { throw .unreadableValue(table: table, column: column, value: text) }
        return value
    }

    func json(_ column: String, in table: String) throws(StateStoreError) -> JSONText {
        JSONText(text: try text(column, in: table))
    }

    func optionalJSON(_ column: String, in table: String) throws(StateStoreError) -> JSONText? {
        try optionalText(column, in: table).map(JSONText.init(text:))
    }
}
