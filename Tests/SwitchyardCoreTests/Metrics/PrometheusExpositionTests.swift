import Testing
@testable import SwitchyardCore

struct PrometheusExpositionTests {
    static let scrape = """
    # HELP yard_http_requests_total Requests answered, by route and status.
    # TYPE yard_http_requests_total counter
    yard_http_requests_total{route="/v1/chat/completions",status="200"} 90
    yard_http_requests_total{route="/v1/chat/completions",status="500"} 10
    yard_http_requests_total{route="/readyz",status="200"} 7
    # a free comment that is ignored
    # TYPE yard_open_streams gauge
    yard_open_streams 3
    # TYPE yard_http_request_duration_seconds histogram
    yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.005"} 0
    yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.01"} 50
    yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="0.1"} 99
    yard_http_request_duration_seconds_bucket{route="/v1/chat/completions",le="+Inf"} 100
    yard_http_request_duration_seconds_sum{route="/v1/chat/completions"} 1.5
    yard_http_request_duration_seconds_count{route="/v1/chat/completions"} 100
    yard_http_request_duration_seconds_bucket{route="/readyz",le="0.005"} 7
    yard_http_request_duration_seconds_bucket{route="/readyz",le="+Inf"} 7

    """

    @Test func countersGaugesAndTypes() throws {
        let exposition = try PrometheusExposition.parse(Self.scrape)
        #expect(exposition.types["yard_http_requests_total"] == .counter)
        #expect(exposition.types["yard_open_streams"] == .gauge)
        #expect(exposition.types["yard_http_request_duration_seconds"] == .histogram)
        #expect(exposition.help["yard_http_requests_total"] == "Requests answered, by route and status.")
        #expect(exposition.sum("yard_http_requests_total", matching: ["route": "/v1/chat/completions"]) == 100)
        #expect(exposition.sum("yard_http_requests_total", matching: ["status": "200"]) == 97)
        #expect(exposition.sum("yard_open_streams") == 3)
        #expect(exposition.sum("missing") == nil)
    }

    @Test func histogramWithLabels() throws {
        let exposition = try PrometheusExposition.parse(Self.scrape)
        let histogram = try #require(exposition.histogram("yard_http_request_duration_seconds", matching: ["route": "/v1/chat/completions"]))
        #expect(histogram.buckets.map(\.upperBound) == [0.005, 0.01, 0.1, .infinity])
        #expect(histogram.count == 100)
        #expect(histogram.sum == 1.5)
        let all = try #require(exposition.histogram("yard_http_request_duration_seconds"))
        #expect(all.buckets.first?.cumulativeCount == 7)
        #expect(all.buckets.last?.cumulativeCount == 107)
    }

    @Test func escapesTimestampsAndSpecialValues() throws {
        let text = #"""
        # HELP odd A help with a \\ backslash and a \n newline.
        odd{path="C:\\dir",quote="say \"hi\"",multi="a\nb"} 1.5e3 1700000000000
        odd{path="x", } NaN
        low -Inf
        high +Inf
        """#
        let exposition = try PrometheusExposition.parse(text)
        #expect(exposition.help["odd"] == "A help with a \\ backslash and a \n newline.")
        let first = exposition.samples[0]
        #expect(first.labels == ["path": #"C:\dir"#, "quote": #"say "hi""#, "multi": "a\nb"])
        #expect(first.value == 1500)
        #expect(first.timestamp == 1_700_000_000_000)
        #expect(exposition.samples[1].value.isNaN)
        #expect(exposition.samples[1].labels == ["path": "x"])
        #expect(exposition.samples[2].value == -.infinity)
        #expect(exposition.samples[3].value == .infinity)
    }

    @Test(arguments: [
        ("metric{a=\"x\" 1", 1),
        ("metric abc", 1),
        ("ok 1\n{a=\"x\"} 1", 2),
        ("metric{a=x} 1", 1),
        ("metric", 1),
    ])
    func malformedLinesNameTheLine(text: String, line: Int) {
        #expect(throws: PrometheusParseError.self) { try PrometheusExposition.parse(text) }
        do {
            _ = try PrometheusExposition.parse(text)
        } catch {
            #expect(error.line == line)
        }
    }
}
