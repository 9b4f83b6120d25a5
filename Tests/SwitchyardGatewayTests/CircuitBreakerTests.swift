import SwitchyardCore
import Testing
@testable import SwitchyardGateway

/// The pure breaker, driven by events and a hand-held clock.
@Suite struct CircuitBreakerTests {
    let configuration = CircuitBreaker.Configuration(failureRate: 0.5, window: .seconds(10), minimumCalls: 4, coolDown: .seconds(5))

    @Test func staysClosedBelowTheMinimumNumberOfCalls() {
        var breaker = CircuitBreaker(configuration: configuration)
        for t in 0..<3 {
            #expect(breaker.acquire(now: Double(t)) == .allowed)
            breaker.record(success: false, now: Double(t))
        }
        #expect(breaker.state == .closed)
    }

    @Test func opensAtTheFailureRateAndFailsFast() {
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.record(success: true, now: 0)
        breaker.record(success: true, now: 1)
        breaker.record(success: false, now: 2)
        #expect(breaker.state == .closed)
        breaker.record(success: false, now: 3)  // 2 of 4 failed: 50 %
        #expect(breaker.state == .open(until: 8))
        #expect(breaker.acquire(now: 4) == .rejected(retryAfter: 4))
    }

    @Test func oldOutcomesLeaveTheSlidingWindow() {
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.record(success: false, now: 0)
        breaker.record(success: false, now: 1)
        breaker.record(success: true, now: 20)
        breaker.record(success: true, now: 21)
        breaker.record(success: false, now: 22)
        breaker.record(success: true, now: 23)
        // the two early failures fell out; 1 of 4 in the window failed
        #expect(breaker.state == .closed)
    }

    @Test func halfOpensAfterTheCoolDownAndOneProbeDecides() {
        var breaker = CircuitBreaker(configuration: configuration)
        for t in 0..<4 { breaker.record(success: false, now: Double(t)) }
        #expect(breaker.state == .open(until: 8))
        #expect(breaker.acquire(now: 8) == .probe)
        #expect(breaker.state == .halfOpen(probeInFlight: true))
        // Only one probe at a time.
        if case .rejected = breaker.acquire(now: 8.1) {} else { Issue.record("a second call passed while half-open") }
        breaker.record(success: false, now: 9)
        #expect(breaker.state == .open(until: 14))
        #expect(breaker.acquire(now: 14) == .probe)
        breaker.record(success: true, now: 14.5)
        #expect(breaker.state == .closed)
        #expect(breaker.acquire(now: 15) == .allowed)
        // The window starts empty after closing: one failure does not reopen it.
        breaker.record(success: false, now: 15)
        #expect(breaker.state == .closed)
    }

    @Test func aProbeWithoutOutcomeLetsTheNextCallProbe() {
        var breaker = CircuitBreaker(configuration: configuration)
        for t in 0..<4 { breaker.record(success: false, now: Double(t)) }
        #expect(breaker.acquire(now: 10) == .probe)
        breaker.releaseProbe()
        #expect(breaker.acquire(now: 10) == .probe)
    }

    @Test func gaugeValues() {
        #expect(CircuitBreaker.State.closed.gaugeValue == 0)
        #expect(CircuitBreaker.State.halfOpen(probeInFlight: false).gaugeValue == 1)
        #expect(CircuitBreaker.State.open(until: 0).gaugeValue == 2)
    }
}

@Suite struct RetryPolicyTests {
    @Test(arguments: [
        (RetryPolicy.Failure.connect, true), (.timeout, true), (.status(500), true), (.status(503), true),
        (.status(404), false), (.status(429), false), (.other, false),
    ])
    func retriesOnlyConnectErrorsTimeoutsAnd5xx(failure: RetryPolicy.Failure, retryable: Bool) {
        #expect(RetryPolicy.isRetryable(failure) == retryable)
    }

    @Test func attemptsAreBounded() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.shouldRetry(.connect, afterAttempt: 1))
        #expect(policy.shouldRetry(.connect, afterAttempt: 2))
        #expect(!policy.shouldRetry(.connect, afterAttempt: 3))
    }

    @Test func backoffGrowsExponentiallyWithJitterUnderTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .ms(100), maxDelay: .ms(1000))
        var random = SplitMix64(seed: 3)
        for attempt in 1...8 {
            let ceiling = min(1000, 100 << (attempt - 1))
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt, random: &random).milliseconds }
            #expect(delays.allSatisfy { (0...Int64(ceiling)).contains($0) })
            #expect(Set(delays).count > 20)  // jittered, not fixed
        }
        var a = SplitMix64(seed: 9)
        var b = SplitMix64(seed: 9)
        #expect(policy.delay(afterAttempt: 2, random: &a) == policy.delay(afterAttempt: 2, random: &b))
    }
}
