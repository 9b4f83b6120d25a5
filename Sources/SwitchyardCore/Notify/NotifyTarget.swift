/// Where notifications go: a webhook that takes a JSON POST, in Switchyard's own shape or a chat's
/// incoming-webhook shape. Its address may be a secret (a Slack webhook URL is one), so it is read when a
/// notification is sent, from the environment or a file, and never written to the state or a log.
public struct NotifyTarget: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// `{"event": …, "at": …, "topology": …, "subject": …, "text": …, "details": {…}}`.
        case webhook
        /// Slack's incoming-webhook body (`text`, and an attachment colored by the news), which Mattermost,
        /// Rocket.Chat and others accept as well.
        case slack
    }

    /// Where the URL comes from.
    public enum Address: Sendable, Hashable {
        /// Written in the manifest: for addresses that are no secret.
        case url(String)
        /// The value of an environment variable of the process that sends.
        case environment(String)
        /// The first line of a file (such as a systemd credential or a mounted secret).
        case file(String)
    }

    public var name: String
    public var format: Format
    public var address: Address
    /// The events this target wants; empty: all of them.
    public var events: [NotificationEvent]

    public init(name: String, format: Format = .webhook, address: Address, events: [NotificationEvent] = []) {
        self.name = name
        self.format = format
        self.address = address
        self.events = events
    }

    public func wants(_ event: NotificationEvent) -> Bool { events.isEmpty || events.contains(event) }
}

extension NotifyTarget: Encodable {
    enum CodingKeys: String, CodingKey { case name, format, url, urlFromEnv, urlFile, events }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(format, forKey: .format)
        switch address {
        case .url(let url): try c.encode(url, forKey: .url)
        case .environment(let name): try c.encode(name, forKey: .urlFromEnv)
        case .file(let path): try c.encode(path, forKey: .urlFile)
        }
        if !events.isEmpty { try c.encode(events, forKey: .events) }
    }
}
