extension Deadline {
    /// Runs an operation against the PostgreSQL server with a deadline: past it the operation is cancelled and the call
    /// fails with `.unreachable` at once, so a server that stopped answering (gone, frozen, a dropped network) never
    /// hangs a caller, even when the client library does not notice the cancellation.
    static func run<T: Sendable>(_ timeout: Duration, server: String, operation: String,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await run(within: timeout, body)
        } catch is Passed {
            throw StateStoreError.unreachable(server: server, reason: "\(operation): no answer within \(timeout.formattedSeconds)")
        }
    }
}
