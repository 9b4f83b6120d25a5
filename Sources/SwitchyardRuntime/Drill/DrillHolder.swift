import Foundation

/// Who holds a drill's lock: `RUN@HOST#PID`. A start on the same host whose holder process is gone
/// knows at once that the run died, instead of waiting out the lease with the fault still in place.
struct DrillHolder: Sendable, Hashable {
    var run: String
    var host: String
    var pid: Int32

    init(run: String, host: String = ProcessInfo.processInfo.hostName, pid: Int32 = ProcessInfo.processInfo.processIdentifier) {
        self.run = run
        self.host = host
        self.pid = pid
    }

    init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@"), let hash = text.lastIndex(of: "#"), at < hash,
              let pid = Int32(text[text.index(after: hash)...]) else { return nil }
        self.init(run: String(text[..<at]), host: String(text[text.index(after: at)..<hash]), pid: pid)
    }

    var text: String { "\(run)@\(host)#\(pid)" }

    /// True unless the holder is known dead: on this host, and its process gone.
    var mayBeAlive: Bool {
        host != ProcessInfo.processInfo.hostName || ProcessTable.isAlive(pid)
    }
}
