import Testing
@testable import SwitchyardCore

/// nginx's structured access log, read back: a line per request, attempts split, figures per slot.
struct AccessLogTests {
    static func line(_ t: Double = 1_733_100_000.5, port: Int = 8080, uri: String = "/v1/chat/completions", status: Int = 200,
                     requestTime: Double = 0.3, upstream: String, upstreamStatus: String, headerTime: String) -> String {
        #"{"t":\#(t),"port":\#(port),"uri":"\#(uri)","status":\#(status),"requestTime":\#(requestTime),"bytes":120,"upstream":"\#(upstream)","upstreamStatus":"\#(upstreamStatus)","headerTime":"\#(headerTime)"}"#
    }

    @Test func aRetriedRequestKeepsEveryAttemptInOrder() throws {
        let record = try AccessLogRecord.parse(Substring(Self.line(upstream: "127.0.0.1:7001, 127.0.0.1:7101", upstreamStatus: "502, 200",
                                                                    headerTime: "-, 0.012")))
        #expect(record.port == 8080)
        #expect(record.status == 200)
        #expect(record.attempts == [.init(upstream: "127.0.0.1:7001", status: 502, headerTime: nil),
                                    .init(upstream: "127.0.0.1:7101", status: 200, headerTime: 0.012)])
        #expect(AccessLogRecord.time(of: Substring(Self.line(upstream: "a:1", upstreamStatus: "200", headerTime: "0.1"))) == 1_733_100_000.5)
    }

    @Test func aRequestNginxAnsweredItselfHasNoAttempt() throws {
        let record = try AccessLogRecord.parse(Substring(Self.line(status: 404, upstream: "", upstreamStatus: "", headerTime: "")))
        #expect(record.attempts.isEmpty)
    }

    @Test func aLineThatIsNotARecordSaysWhy() {
        #expect(throws: AccessLogRecord.ParseError(reason: "not JSON")) { try AccessLogRecord.parse("127.0.0.1 - - [02/Dec/2026] \"GET /\" 200") }
        #expect(throws: AccessLogRecord.ParseError(reason: "no field port")) { try AccessLogRecord.parse(#"{"t":1,"uri":"/"}"#) }
        #expect(throws: AccessLogRecord.ParseError(reason: "field status has the wrong type")) {
            try AccessLogRecord.parse(#"{"t":1,"port":80,"uri":"/","status":"x","requestTime":0,"bytes":0,"upstream":"","upstreamStatus":"","headerTime":""}"#)
        }
    }

    @Test func aSlotsFiguresCountItsAttemptsNotWhatTheBackupSaved() throws {
        let lines = [
            Self.line(requestTime: 0.2, upstream: "127.0.0.1:7001", upstreamStatus: "200", headerTime: "0.010"),
            Self.line(requestTime: 0.4, upstream: "127.0.0.1:7002", upstreamStatus: "200", headerTime: "0.030"),
            // The new slot refused; the old slot (backup) answered: the user saw a 200, the new slot a failure.
            Self.line(requestTime: 0.5, upstream: "127.0.0.1:7001, 127.0.0.1:7101", upstreamStatus: "502, 200", headerTime: "-, 0.020"),
            Self.line(status: 500, requestTime: 0.1, upstream: "127.0.0.1:7002", upstreamStatus: "500", headerTime: "0.005"),
            // Another listener (preview) and another path: not counted.
            Self.line(port: 8081, upstream: "127.0.0.1:7001", upstreamStatus: "500", headerTime: "0.001"),
            Self.line(uri: "/healthz", upstream: "127.0.0.1:7001", upstreamStatus: "500", headerTime: "0.001"),
        ]
        let records = try lines.map { try AccessLogRecord.parse(Substring($0)) }
        let slot = AccessLogWindow(records, slot: ["127.0.0.1:7001", "127.0.0.1:7002"], port: 8080, path: "/v1/")
        #expect(slot.attempts == 4)
        #expect(slot.failedAttempts == 2)
        #expect(slot.value(of: .errorRate) == 0.5)
        #expect(slot.latencies == [0.2, 0.4])
        #expect(slot.value(of: .p99TimeToFirstByte) == 0.030)
        #expect(slot.value(of: .p99Latency) == 0.4)
        #expect(slot.requests == 4)
        #expect(slot.userErrors == 1)
        let old = AccessLogWindow(records, slot: ["127.0.0.1:7101"], port: 8080, path: "/v1/")
        #expect(old.attempts == 1)
        #expect(old.value(of: .errorRate) == 0)
        #expect(old.latencies == [0.5])
    }

    @Test func anAttemptWithoutStatusFailsWhenTheUserGotAnError() throws {
        // The only server timed out before answering: nginx wrote `-` for its status and gave the user a 504.
        let records = [try AccessLogRecord.parse(Substring(Self.line(status: 504, upstream: "127.0.0.1:7001", upstreamStatus: "-", headerTime: "-")))]
        let slot = AccessLogWindow(records, slot: ["127.0.0.1:7001"], port: 8080)
        #expect(slot.failedAttempts == 1)
        #expect(slot.value(of: .p99TimeToFirstByte) == nil)
        #expect(slot.observations(of: .p99Latency) == 0)
    }

    @Test func noTrafficIsNoFigure() {
        let empty = AccessLogWindow([], slot: ["127.0.0.1:7001"], port: 8080)
        #expect(empty.value(of: .errorRate) == nil)
        #expect(empty.value(of: .p99Latency) == nil)
        #expect(MetricJudge.judge(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05), source: .loadBalancer),
                                  value: empty.value(of: .errorRate), baseline: nil, requests: 0).phase == .inconclusive)
    }

    @Test func theP99IsTheNearestRank() {
        #expect(AccessLogWindow.quantile(Array(1...100).map(Double.init), 0.99) == 99)
        #expect(AccessLogWindow.quantile([3, 1, 2], 0.99) == 3)
        #expect(AccessLogWindow.quantile([5], 0.99) == 5)
    }

    @Test func nginxWritesTheFormatTheRecordReads() throws {
        let config = NginxConfig(balancer: LoadBalancer(name: "edge", listen: HostPort(host: "127.0.0.1", port: 8080),
                                                        previewListen: HostPort(host: "127.0.0.1", port: 8081), directory: "/tmp/p"),
                                 service: "gateway", live: [HostPort(host: "127.0.0.1", port: 7001)], preview: [], prefix: "/tmp/p",
                                 routingLabel: "zone-a=blue")
        let text = try config.render()
        #expect(text.contains("log_format yard_json escape=json"))
        #expect(text.components(separatedBy: "access_log \"/tmp/p/logs/access.json\" yard_json;").count == 3)
        for field in ["t", "port", "uri", "status", "requestTime", "bytes", "upstream", "upstreamStatus", "headerTime"] {
            #expect(text.contains("\"\(field)\":"), "log format lacks \(field)")
        }
    }
}
