/// One numbered write of a drill's write probe: when it was sent (seconds from the probe's start), and either when it
/// was acknowledged and by which server, or why and when it failed.
public struct WriteAttempt: Sendable, Hashable, Codable {
    public var sequence: Int
    public var sentAt: Double
    public var acknowledgedAt: Double?
    /// `host:port` of the server that acknowledged it.
    public var server: String?
    public var error: String?
    /// When the client learnt that it failed; nil for an acknowledged write (or a failure whose time was not kept, then
    /// counted at `sentAt`).
    public var failedAt: Double?

    public init(sequence: Int, sentAt: Double, acknowledgedAt: Double? = nil, server: String? = nil, error: String? = nil, failedAt: Double? = nil) {
        self.sequence = sequence
        self.sentAt = sentAt
        self.acknowledgedAt = acknowledgedAt
        self.server = server
        self.error = error
        self.failedAt = failedAt
    }

    /// When the client learnt the outcome: the acknowledgement, or the failure.
    public var finishedAt: Double { acknowledgedAt ?? failedAt ?? sentAt }
}
