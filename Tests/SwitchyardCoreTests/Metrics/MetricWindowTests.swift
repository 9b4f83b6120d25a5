import Testing
@testable import SwitchyardCore

struct MetricWindowTests {
    static func histogram(_ counts: [(Double, Double)], sum: Double = 0) -> HistogramBuckets {
        HistogramBuckets(buckets: counts.map { .init(upperBound: $0.0, cumulativeCount: $0.1) }, count: counts.last?.1 ?? 0, sum: sum)
    }

    @Test func quantileInterpolatesInsideTheBucket() throws {
        // 100 observations: 50 in (0, 0.01], 49 in (0.01, 0.1], 1 above 0.1.
        let buckets = Self.histogram([(0.01, 50), (0.1, 99), (.infinity, 100)])
        #expect(buckets.quantile(0.5) == 0.01)
        let p90 = try #require(buckets.quantile(0.9))
        #expect(abs(p90 - (0.01 + 0.09 * 40 / 49)) < 1e-12)
        #expect(abs(try #require(buckets.quantile(0.99)) - 0.1) < 1e-12)
        // The rank falls in +Inf: the highest finite bound, as histogram_quantile answers.
        #expect(buckets.quantile(0.999) == 0.1)
        #expect(Self.histogram([(0.01, 0), (.infinity, 0)]).quantile(0.99) == nil)
    }

    @Test func deltaBetweenScrapes() {
        let before = Self.histogram([(0.01, 10), (0.1, 20), (.infinity, 20)], sum: 1)
        let after = Self.histogram([(0.01, 10), (0.1, 20), (.infinity, 30)], sum: 11)
        let delta = after.delta(since: before)
        #expect(delta.buckets.map(\.cumulativeCount) == [0, 0, 10])
        #expect(delta.count == 10)
        #expect(delta.sum == 10)
        #expect(delta.quantile(0.99) == 0.1)
        // A counter that went down: the process restarted, everything now counted is new.
        #expect(before.delta(since: after) == before)
    }

    @Test func errorRateAndP99FromTwoScrapes() throws {
        let first = try PrometheusExposition.parse("""
        yard_http_requests_total{route="/v1/chat/completions",status="200"} 100
        yard_http_requests_total{route="/v1/chat/completions",status="500"} 0
        yard_http_requests_total{route="/metrics",status="500"} 4
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.1"} 100
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="1"} 100
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="+Inf"} 100
        yard_time_to_first_token_seconds_bucket{le="0.05"} 100
        yard_time_to_first_token_seconds_bucket{le="+Inf"} 100
        """)
        let second = try PrometheusExposition.parse("""
        yard_http_requests_total{route="/v1/chat/completions",status="200"} 160
        yard_http_requests_total{route="/v1/chat/completions",status="500"} 20
        yard_http_requests_total{route="/v1/chat/completions",status="503"} 20
        yard_http_requests_total{route="/metrics",status="500"} 40
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.1"} 150
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="1"} 200
        yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="+Inf"} 200
        yard_time_to_first_token_seconds_bucket{le="0.05"} 100
        yard_time_to_first_token_seconds_bucket{le="+Inf"} 100
        """)
        let window = GatewayMetricsSample(second).delta(since: GatewayMetricsSample(first))
        #expect(window.requests == 100)
        #expect(window.errorRate == 0.4)
        // 100 new observations: 50 ≤ 0.1 s, 50 in (0.1, 1]; rank 99 is 49/50 of the way into (0.1, 1].
        let p99 = try #require(window.p99Latency)
        #expect(abs(p99 - (0.1 + 0.9 * 49 / 50)) < 1e-12)
        // No stream started in the window: no time-to-first-token figure.
        #expect(window.p99TimeToFirstToken == nil)
        #expect(window.value(of: .errorRate) == 0.4)
        #expect(window.observations(of: .p99TimeToFirstToken) == 0)
        // The first window covers everything since the process started.
        #expect(GatewayMetricsSample(first).delta(since: nil).errorRate == 0)
    }

    @Test func slotFigureAddsInstances() {
        let a = GatewayMetricsSample(requestsByStatus: ["200": 9, "500": 1], requestDuration: Self.histogram([(0.1, 10), (.infinity, 10)]))
        let b = GatewayMetricsSample(requestsByStatus: ["200": 10], requestDuration: Self.histogram([(0.1, 0), (.infinity, 10)]))
        let slot = a.adding(b)
        #expect(slot.requests == 20)
        #expect(slot.errorRate == 0.05)
        #expect(slot.requestDuration?.count == 20)
        #expect(slot.p99Latency == 0.1)
        #expect(GatewayMetricsSample().errorRate == nil)
    }

    @Test func restartedInstanceCountsWhole() {
        let before = GatewayMetricsSample(requestsByStatus: ["200": 50, "500": 5])
        let after = GatewayMetricsSample(requestsByStatus: ["200": 3])
        #expect(after.delta(since: before) == after)
    }
}
