/// Runs an operation against the PostgreSQL server with a deadline: past it the operation is cancelled and the call fails
/// with `.unreachable`, so a server that stopped answering (gone, frozen, a dropped network) never hangs a caller.
enum Deadline {
    static func run<T: Sendable>(_ timeout: Duration, server: String, operation: String,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw StateStoreError.unreachable(server: server, reason: "\(operation): no answer within \(timeout.formattedSeconds)")
            }
            return value
        }
    }
}
