import Foundation
import Testing
@testable import SwitchyardCore
@testable import SwitchyardRuntime

/// Reading nginx's access log as it grows: whole lines only, from the window's start, across rotations,
/// and a gate `error` (never a pass) for what does not parse or cannot be read.
struct AccessLogTailTests {
    static func line(_ t: Double, status: Int = 200, upstream: String = "127.0.0.1:7001", upstreamStatus: String = "200") -> String {
        #"{"t":\#(t),"port":8080,"uri":"/v1/chat/completions","status":\#(status),"requestTime":0.2,"bytes":10,"upstream":"\#(upstream)","upstreamStatus":"\#(upstreamStatus)","headerTime":"0.010"}"#
    }

    static func withFile(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("yard-access-\(UUID().uuidString.prefix(8)).json").path
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".1") }
        try body(path)
    }

    static func append(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func eachReadReturnsTheWholeLinesAppendedSinceTheLastAndSkipsOldOnes() throws {
        try Self.withFile { path in
            try Self.append(Self.line(100) + "\n" + Self.line(200) + "\n", to: path)
            var tail = AccessLogTail(path: path, since: 150)
            #expect(try tail.read().map(\.time) == [200])
            // A line being written is left for the next read.
            let next = Self.line(300)
            try Self.append(Self.line(250) + "\n" + next.prefix(20), to: path)
            #expect(try tail.read().map(\.time) == [250])
            try Self.append(next.dropFirst(20) + "\n", to: path)
            #expect(try tail.read().map(\.time) == [300])
            #expect(try tail.read().isEmpty)
        }
    }

    @Test func aRotatedLogIsReadFromItsStart() throws {
        try Self.withFile { path in
            try Self.append(Self.line(100) + "\n" + Self.line(101) + "\n", to: path)
            var tail = AccessLogTail(path: path, since: 0)
            #expect(try tail.read().count == 2)
            #expect(rename(path, path + ".1") == 0)
            try Self.append(Self.line(102) + "\n" + Self.line(103) + "\n" + Self.line(104) + "\n", to: path)
            #expect(try tail.read().map(\.time) == [102, 103, 104])
        }
    }

    @Test func aLineThatDoesNotParseIsAGateErrorNamingIt() async throws {
        try await Self.withFileAsync { path in
            try Self.append(Self.line(Date().timeIntervalSince1970) + "\n" + "127.0.0.1 - - \"GET / HTTP/1.1\" 200\n", to: path)
            let prober = GateProber()
            let gate = GateDefinition(name: "lb", probe: .metric(MetricCheck(measure: .errorRate, threshold: Threshold(max: 0.05), source: .loadBalancer)))
            let target = ProbeTarget(listener: HostPort(host: "127.0.0.1", port: 8080), instances: [HostPort(host: "127.0.0.1", port: 7001)],
                                     accessLog: path)
            let measured = await prober.measure(gate, target: target)
            #expect(measured.phase == .error)
            #expect(measured.message.hasPrefix("a line of \(path) does not parse (not JSON): 127.0.0.1 - -"), "\(measured.message)")
            // Once past it, the figures come back.
            try Self.append(Self.line(Date().timeIntervalSince1970, status: 502, upstreamStatus: "502") + "\n", to: path)
            let next = await prober.measure(gate, target: target)
            #expect(next.phase == .fail, "\(next)")
            #expect(next.value == 1)
            var unknown = target
            unknown.accessLog = path + ".missing"
            await prober.forget(gate: "lb")
            let missing = await prober.measure(gate, target: unknown)
            #expect(missing.phase == .error)
            #expect(missing.message.contains("no such file"), "\(missing.message)")
        }
    }

    static func withFileAsync(_ body: (String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("yard-access-\(UUID().uuidString.prefix(8)).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }
}
