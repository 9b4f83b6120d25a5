import Testing
@testable import SwitchyardCore

/// Before traffic moves: does an instance expose what the metric gates will read, and if not, what does it expose?
struct MetricSeriesCheckTests {
    static let gin = """
    # TYPE gin_requests_total counter
    gin_requests_total{code="200",handler="/v1/chat/completions"} 3
    # TYPE gin_request_duration_seconds histogram
    gin_request_duration_seconds_bucket{le="0.1"} 3
    gin_request_duration_seconds_bucket{le="+Inf"} 3
    gin_request_duration_seconds_count 3
    gin_request_duration_seconds_sum 0.1
    go_goroutines 12
    """

    @Test func aMissingCounterIsNamedWithWhatTheInstanceExposes() throws {
        let exposition = try PrometheusExposition.parse(Self.gin)
        let names = GatewayMetricNames(preset: .prometheus)
        #expect(MetricSeriesCheck.problems(exposition, names: names, measures: [.errorRate]) == ["no series http_requests_total"])
        #expect(MetricSeriesCheck.families(exposition) == "gin_request_duration_seconds, gin_requests_total, go_goroutines")
        #expect(MetricSeriesCheck.problems(exposition, names: GatewayMetricNames(preset: .gin), measures: [.errorRate, .p99Latency]).isEmpty)
    }

    @Test func aMissingStatusLabelIsNamedWithTheLabelsThereAre() throws {
        let exposition = try PrometheusExposition.parse(Self.gin)
        var names = GatewayMetricNames(preset: .gin)
        names.statusLabel = "status"
        #expect(MetricSeriesCheck.problems(exposition, names: names, measures: [.errorRate])
            == ["series gin_requests_total has no label status (its labels: code, handler); set metricNames.statusLabel"])
    }

    @Test func aHistogramWithoutBucketsOrASummaryCannotGiveAP99() throws {
        let exposition = try PrometheusExposition.parse("""
        # TYPE a_seconds summary
        a_seconds{quantile="0.99"} 0.2
        a_seconds_count 3
        b_seconds_count 3
        b_seconds_sum 1
        """)
        var names = GatewayMetricNames(preset: .prometheus)
        names.requestDuration = "a_seconds"
        #expect(MetricSeriesCheck.problems(exposition, names: names, measures: [.p99Latency]) == ["a_seconds is a summary, not a histogram: a p99 over a window needs buckets"])
        names.requestDuration = "b_seconds"
        #expect(MetricSeriesCheck.problems(exposition, names: names, measures: [.p99Latency]) == ["histogram b_seconds has no buckets (no b_seconds_bucket series with le)"])
        #expect(MetricSeriesCheck.problems(exposition, names: names, measures: [.p99TimeToFirstToken])
            == ["p99-ttft reads a histogram, but the metric names (preset prometheus) name none; set metricNames.timeToFirstToken"])
    }

    @Test func aFamilyDeclaredBeforeItsFirstSampleCounts() throws {
        // Client libraries print a labelled counter's TYPE before its first increment.
        let exposition = try PrometheusExposition.parse("""
        # TYPE http_requests_total counter
        # TYPE http_request_duration_seconds histogram
        """)
        #expect(MetricSeriesCheck.problems(exposition, names: GatewayMetricNames(preset: .prometheus), measures: [.errorRate, .p99Latency]).isEmpty)
    }

    @Test func statusClassesAndCodesBothCountAsServerErrors() throws {
        let exposition = try PrometheusExposition.parse("""
        http_requests_total{handler="/v1/chat/completions",status="2xx"} 80
        http_requests_total{handler="/v1/chat/completions",status="5xx"} 20
        http_requests_total{handler="/metrics",status="5xx"} 1000
        """)
        let names = GatewayMetricNames(preset: .prometheus).filtered(label: "handler", value: "/v1/chat/completions")
        #expect(GatewayMetricsSample(exposition, names: names).errorRate == 0.2)
        let codes = try PrometheusExposition.parse("""
        gin_requests_total{code="200"} 90
        gin_requests_total{code="503"} 10
        """)
        #expect(GatewayMetricsSample(codes, names: GatewayMetricNames(preset: .gin)).errorRate == 0.1)
    }
}
