import Synchronization

/// Waits at most a given time for an operation, without waiting for the operation itself.
///
/// A task group cannot do this: it returns only once every child has ended, and a call into a client library blocked
/// on a dead socket (a PostgreSQL server gone or frozen, a dropped network) may never notice its cancellation. Here
/// the operation runs in a task of its own; past the limit the caller resumes with `Passed` and the operation is
/// cancelled, left to end whenever it does, its result dropped.
public enum Deadline {
    /// The limit passed before the operation answered.
    public struct Passed: Error, Sendable {
        public let limit: Duration
    }

    public static func run<T: Sendable>(within limit: Duration,
                                        _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await race(limit, condition: nil, every: .zero, operation)
    }

    /// The condition given to `run(within:abandonWhen:_:)` held: the reason it gave.
    public struct Abandoned: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// As `run(within:_:)`, also resuming with `Abandoned` as soon as `condition` (asked every `interval`) gives a
    /// reason: a query on a connection that is already closed, say, which the client library may never answer.
    public static func run<T: Sendable>(within limit: Duration, abandonWhen condition: @escaping @Sendable () -> String?,
                                        every interval: Duration = .milliseconds(5),
                                        _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await race(limit, condition: condition, every: interval, operation)
    }

    /// The operation against the limit (and the condition, when there is one); the first to answer resumes the caller.
    private static func race<T: Sendable>(_ limit: Duration, condition: (@Sendable () -> String?)?, every interval: Duration,
                                          _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let first = FirstResult<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                first.attach(continuation)
                let work = Task {
                    do { first.finish(.success(try await operation())) } catch { first.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    first.finish(.failure(Passed(limit: limit)))
                    work.cancel()
                }
                let watcher = condition.map { condition in
                    Task {
                        while !Task.isCancelled {
                            if let reason = condition() {
                                first.finish(.failure(Abandoned(reason: reason)))
                                work.cancel()
                                return
                            }
                            try? await Task.sleep(for: interval)
                        }
                    }
                }
                first.onFinish {
                    timer.cancel()
                    watcher?.cancel()
                }
            }
        } onCancel: {
            first.finish(.failure(CancellationError()))
        }
    }
}

/// The first of several results resumes the continuation; the later ones are dropped. A result may come before the
/// continuation is attached (a cancellation of the caller at once): it is kept and given on attaching.
private final class FirstResult<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func attach(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { state in
            if let early = state.early {
                state.done = true
                continuation.resume(with: early)
            } else {
                state.continuation = continuation
            }
        }
    }

    /// Runs `action` once a result was given (at once if one was).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = action
            return false
        }
        if now { action() }
    }

    func finish(_ result: Result<T, any Error>) {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.done, state.early == nil else { return nil }
            guard let continuation = state.continuation else {
                state.early = result
                return nil
            }
            state.continuation = nil
            state.done = true
            continuation.resume(with: result)
            defer { state.cleanup = nil }
            return state.cleanup
        }
        action?()
    }
}
