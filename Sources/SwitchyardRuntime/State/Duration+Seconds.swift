extension Duration {
    /// Seconds as a Double.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// Milliseconds as a Double.
    public var milliseconds: Double { seconds * 1000 }

    /// `1.5s`, `30s`, `0.25s`: for messages, to the millisecond.
    public var formattedSeconds: String {
        let seconds = milliseconds.rounded() / 1000
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
