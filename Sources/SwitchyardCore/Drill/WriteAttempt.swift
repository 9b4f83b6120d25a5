/// One numbered write of a drill's write probe: when it was sent (seconds from the probe's start), and either when it
/// was acknowledged and by which server, or why it failed.
public struct WriteAttempt: Sendable, Hashable, Codable {
    public var sequence: Int
    public var sentAt: Double
    public var acknowledgedAt: Double?
    /// `host:port` of the server that acknowledged it.
    public var server: String?
    public var error: String?

    public init(sequence: Int, sentAt: Double, acknowledgedAt: Double? = nil, server: String? = nil, error: String? = nil) {
        self.sequence = sequence
        self.sentAt = sentAt
        self.acknowledgedAt = acknowledgedAt
        self.server = server
        self.error = error
    }
}
