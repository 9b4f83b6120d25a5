import Foundation
import SwitchyardRuntime

/// The figures one run prints.
struct BenchReport: Codable {
    var idleRSSMiB: Double
    var afterLoadRSSMiB: Double
    var rate: Int
    var seconds: Int
    var path: String
    var viewers: Int
    /// Viewers whose stream was still open (answered 200 and not closed) after the load.
    var viewersStillStreaming: Int
    var reads: OpenLoopReads.Result

    var table: String {
        let f = { (value: Double) in String(format: "%.2f", value) }
        return """
        yardd idle RSS            \(f(idleRSSMiB)) MiB
        yardd RSS after the load  \(f(afterLoadRSSMiB)) MiB
        event-stream viewers      \(viewers) opened, \(viewersStillStreaming) still streaming after the load
        GET \(path)  \(rate)/s open-loop for \(seconds) s (achieved \(f(reads.achievedRate))/s): \(reads.ok) ok, \(reads.failed) failed
          p50 \(f(reads.p50)) ms   p90 \(f(reads.p90)) ms   p99 \(f(reads.p99)) ms   max \(f(reads.max)) ms
        """
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
