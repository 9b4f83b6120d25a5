import SwitchyardCore

/// When and how long to wait before another try at the upstream: exponential backoff with full
/// jitter, a bounded number of attempts. Retried: connect errors, a close or reset before the
/// status line, timeouts and 5xx. Pure; the randomness is passed in.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included.
    public var maxAttempts: Int = 3
    public var baseDelay: TimeSpan = .ms(50)
    public var maxDelay: TimeSpan = .seconds(1)

    public init(maxAttempts: Int = 3, baseDelay: TimeSpan = .ms(50), maxDelay: TimeSpan = .seconds(1)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// What went wrong with one attempt, as far as retrying cares.
    public enum Failure: Sendable, Hashable {
        /// The connection could not be made (refused, unreachable).
        case connect
        /// The connection closed (FIN) or was reset before the status line came: nothing was answered.
        case closed
        case timeout
        case status(Int)
        /// Anything after the first byte went to the client, or any other error: never retried.
        case other
    }

    public static func isRetryable(_ failure: Failure) -> Bool {
        switch failure {
        case .connect, .closed, .timeout: true
        case .status(let code): (500...599).contains(code)
        case .other: false
        }
    }

    /// The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed:
    /// uniformly random in 0…min(maxDelay, baseDelay·2^(attempt-1)).
    public func delay(afterAttempt attempt: Int, random: inout some RandomNumberGenerator) -> TimeSpan {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(Double(maxDelay.milliseconds), Double(baseDelay.milliseconds) * Double(1 << exponent))
        let value = Double.random(in: 0...max(ceiling, 0), using: &random)
        return .ms(Int64(value.rounded()))
    }

    public func shouldRetry(_ failure: Failure, afterAttempt attempt: Int) -> Bool {
        attempt < maxAttempts && Self.isRetryable(failure)
    }
}
