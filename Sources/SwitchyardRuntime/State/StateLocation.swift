import Foundation

/// Opens the state store a `--state` names: a `postgres://USER@HOST:PORT/DATABASE` URL opens `PostgresStateStore`,
/// anything else is the path of an SQLite file (`SQLiteStateStore`).
public enum StateLocation {
    public static func open(_ location: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws(StateStoreError) -> any StateStore {
        guard PostgresLocation.isPostgres(location) else { return try SQLiteStateStore(path: location) }
        return try await PostgresStateStore.open(try PostgresLocation.parse(location, environment: environment).get())
    }

    /// What messages call the store: the file's path, or the URL without its password.
    public static func display(_ location: String) -> String {
        guard PostgresLocation.isPostgres(location) else { return location }
        return (try? PostgresLocation.parse(location, environment: [:]).get().display) ?? PostgresLocation.redacted(location)
    }
}
