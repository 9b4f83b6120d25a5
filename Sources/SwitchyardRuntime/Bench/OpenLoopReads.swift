import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore

/// An open-loop GET load: requests leave on a fixed schedule (`rate` per second) whether or not earlier ones
/// have answered, and each latency is measured from when the request was due, so a server that stalls is
/// charged for the queue it causes (no coordinated omission).
public struct OpenLoopReads: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var rate: Int
    public var duration: Duration
    public var timeout: Duration

    public init(url: String, headers: [(String, String)] = [], rate: Int, duration: Duration, timeout: Duration = .seconds(5)) {
        self.url = url
        self.headers = headers
        self.rate = rate
        self.duration = duration
        self.timeout = timeout
    }

    public struct Result: Sendable, Codable, Hashable {
        public var sent: Int
        public var ok: Int
        public var failed: Int
        /// Milliseconds, from when each request was due to its last byte.
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        /// Requests per second actually sent (the schedule kept, or not, by the load generator itself).
        public var achievedRate: Double
    }

    public func run(client: HTTPClient = YardHTTPClient.shared) async -> Result {
        let clock = ContinuousClock()
        let total = Int(Double(rate) * duration.seconds)
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(max(rate, 1)))
        let start = clock.now
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var ok = 0, failed = 0
        var sendingTime = duration
        await withTaskGroup(of: (Bool, UInt64).self) { group in
            for index in 0..<total {
                let due = start + interval * index
                try? await clock.sleep(until: due)
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    for (name, value) in headers { request.headers.add(name: name, value: value) }
                    let answered: Bool
                    do {
                        let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        answered = response.status.code == 200
                    } catch { answered = false }
                    let elapsed = clock.now - due
                    return (answered, UInt64(max(1, elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)))
                }
            }
            sendingTime = clock.now - start
            for await (answered, nanoseconds) in group {
                histogram.record(nanoseconds)
                if answered { ok += 1 } else { failed += 1 }
            }
        }
        let seconds = sendingTime.seconds
        let ms = { (value: UInt64) in Double(value) / 1e6 }
        return Result(sent: total, ok: ok, failed: failed, p50: ms(histogram.valueAtPercentile(50)), p90: ms(histogram.valueAtPercentile(90)),
                      p99: ms(histogram.valueAtPercentile(99)), max: ms(histogram.max), achievedRate: Double(total) / seconds)
    }
}
