import Foundation

extension Duration {
    /// `1.5s`, `30s`, `0.25s`: for messages, to the millisecond.
    public var formattedSeconds: String {
        let milliseconds = (timeInterval * 1000).rounded()
        let seconds = milliseconds / 1000
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }

    public var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
