/// A host: a machine in a zone that runs instances, reached over SSH. A zone without hosts runs its instances on
/// the machine Switchyard runs on (the `process` driver).
public struct ZoneHost: Sendable, Hashable, Encodable {
    /// The zone the host stands in.
    public var zone: String
    /// Where instances on it listen and where the load balancer reaches them; also the SSH destination.
    public var address: String
    /// The SSH login (nil: `~/.ssh/config` or the local user decides).
    public var user: String?
    /// The SSH port (nil: 22 or `~/.ssh/config`).
    public var sshPort: Int?
    /// The private key to log in with (nil: the agent and `~/.ssh/config` decide).
    public var identityFile: String?
    /// What keeps the host's instances running once the SSH session that started them ends.
    public var supervisor: Supervisor
    /// Free-form `name: value` pairs (`role: gpu`, `rack: r12`) that a service's `hostLabels` select hosts by.
    public var labels: [String: String]

    /// `systemd`: each instance a transient unit (`systemd-run`), which outlives SSH sessions and yard and is
    /// seen by `systemctl` and the journal of the host. `process`: each instance a session of its own with a pid
    /// file and a log under `~/.switchyard` on the host. `auto` (the default): `systemd` where it runs (the host
    /// has `/run/systemd/system` and `systemd-run`), else `process`; asked of the host once per run.
    public enum Supervisor: String, Sendable, Hashable, Codable, CaseIterable { case auto, systemd, process }

    public init(zone: String, address: String, user: String? = nil, sshPort: Int? = nil, identityFile: String? = nil,
                supervisor: Supervisor = .auto, labels: [String: String] = [:]) {
        self.zone = zone
        self.address = address
        self.user = user
        self.sshPort = sshPort
        self.identityFile = identityFile
        self.supervisor = supervisor
        self.labels = labels
    }

    /// Whether the host carries every label of `selector` with its value.
    public func carries(_ selector: [String: String]) -> Bool { selector.allSatisfy { labels[$0.key] == $0.value } }

    /// `root@10.77.0.2:2222`, for messages.
    public var name: String { (user.map { "\($0)@" } ?? "") + address + (sshPort.map { ":\($0)" } ?? "") }

    enum CodingKeys: String, CodingKey { case address, user, sshPort = "port", identityFile, supervisor, labels }
}
