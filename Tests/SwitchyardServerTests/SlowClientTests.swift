import Foundation
import Testing
import SwitchyardRuntime
@testable import SwitchyardServer
#if canImport(Glibc)
import Glibc
#endif

/// Clients that open connections and never finish a request (slowloris) cannot starve the daemon: `/healthz` still
/// answers at once, and each such connection is closed after the idle timeout.
@Suite(.serialized) struct SlowClientTests {
    static let halfOpen = 2_000

    @Test func halfOpenConnectionsNeitherStarveHealthNorStayOpen() async throws {
        let limit = OpenFileLimit.raiseToHardLimit()
        try #require(limit > Self.halfOpen * 2 + 256, "the open-file limit (\(limit)) is too low for this test")
        try await DaemonHarness.with(configure: { $0.idleTimeout = .seconds(2) }) { yardd in
            var sockets: [Int32] = []
            defer { for fd in sockets { close(fd) } }
            for index in 0..<Self.halfOpen {
                let fd = try RawHTTP.connect(port: yardd.port, timeout: .seconds(8))
                sockets.append(fd)
                // A request head that never ends: one header line, no blank line.
                try RawHTTP.write(fd, "GET /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-\(index): 1\r\n")
            }
            let opened = ContinuousClock.now
            // While they hang, health answers within a second.
            for _ in 0..<5 {
                let start = ContinuousClock.now
                let reply = try RawHTTP.request(port: yardd.port, "GET", "/healthz")
                #expect(reply.status == 200)
                #expect(ContinuousClock.now - start < .seconds(1), "healthz took \(ContinuousClock.now - start) beside \(Self.halfOpen) half-open connections")
            }
            // Each half-open connection is closed by the daemon after the idle timeout (2 s): looked at without waiting,
            // every 100 ms, for at most 8 s.
            var open = Set(sockets)
            var buffer = [UInt8](repeating: 0, count: 64)
            while !open.isEmpty, ContinuousClock.now - opened < .seconds(8) {
                for fd in open {
                    let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { open.remove(fd) }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(open.count == 0, "\(open.count) of \(Self.halfOpen) half-open connections still open 8 s after the last was opened")
            // The last one opened went at about its idle timeout after; none lasted much longer.
            #expect(ContinuousClock.now - opened < .seconds(6), "closed \(ContinuousClock.now - opened) after the last was opened")
        }
    }
}
