import SwitchyardCore

/// A circuit breaker as a pure state machine: the caller passes the time (seconds on a monotonic
/// clock) with every event, so every transition is tested without sleeping.
///
/// Closed: calls pass; outcomes within the last `window` are kept. Once at least `minimumCalls`
/// are in the window and the failure share reaches `failureRate`, it opens. Open: calls are
/// rejected until `coolDown` has passed, then it half-opens and lets one probe through. The
/// probe's success closes it (with an empty window); its failure opens it again.
public struct CircuitBreaker: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var failureRate: Double = 0.5
        public var window: TimeSpan = .seconds(10)
        public var minimumCalls: Int = 10
        public var coolDown: TimeSpan = .seconds(5)

        public init(failureRate: Double = 0.5, window: TimeSpan = .seconds(10), minimumCalls: Int = 10, coolDown: TimeSpan = .seconds(5)) {
            self.failureRate = failureRate
            self.window = window
            self.minimumCalls = minimumCalls
            self.coolDown = coolDown
        }
    }

    public enum State: Sendable, Hashable {
        case closed
        case open(until: Double)
        case halfOpen(probeInFlight: Bool)

        /// 0 closed, 1 half-open, 2 open: the value of the `yard_breaker_state` gauge.
        public var gaugeValue: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    public enum Permission: Sendable, Hashable {
        case allowed
        /// The one call let through while half-open; its outcome decides the next state.
        case probe
        case rejected(retryAfter: Double)
    }

    public let configuration: Configuration
    public private(set) var state: State = .closed
    private var outcomes: [(time: Double, failed: Bool)] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Asks to make a call now.
    public mutating func acquire(now: Double) -> Permission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            if now >= until {
                state = .halfOpen(probeInFlight: true)
                return .probe
            }
            return .rejected(retryAfter: until - now)
        case .halfOpen(let probeInFlight):
            if probeInFlight { return .rejected(retryAfter: configuration.coolDown.seconds) }
            state = .halfOpen(probeInFlight: true)
            return .probe
        }
    }

    /// Reports how a call made with `.allowed` or `.probe` ended.
    public mutating func record(success: Bool, now: Double) {
        switch state {
        case .closed:
            outcomes.append((now, !success))
            outcomes.removeAll { now - $0.time > configuration.window.seconds }
            let failures = outcomes.filter(\.failed).count
            if outcomes.count >= configuration.minimumCalls,
                Double(failures) / Double(outcomes.count) >= configuration.failureRate
            {
                open(now: now)
            }
        case .halfOpen:
            if success {
                state = .closed
                outcomes.removeAll()
            } else {
                open(now: now)
            }
        case .open:
            // A call that started before the breaker opened; its outcome changes nothing.
            break
        }
    }

    /// A probe that ended without an outcome (the client left) lets the next call probe instead.
    public mutating func releaseProbe() {
        if case .halfOpen(true) = state { state = .halfOpen(probeInFlight: false) }
    }

    private mutating func open(now: Double) {
        state = .open(until: now + configuration.coolDown.seconds)
        outcomes.removeAll()
    }
}
