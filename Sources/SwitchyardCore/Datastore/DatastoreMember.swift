/// One server of a datastore that drills act on: where it listens, which host it runs on (this machine or one reached
/// over SSH), where its data lives there, and how it becomes the primary. The roles are those the datastore was set up with; a drill asks each member for
/// its role now (a failover swaps them).
public struct DatastoreMember: Sendable, Hashable, Encodable {
    /// How a replica is made the primary.
    public enum Promotion: Sendable, Hashable, Encodable {
        /// `pg_ctl promote -w -D DATA_DIRECTORY`.
        case pgCtl
        /// A command run on this machine (a script, a failover tool's CLI); it must return once the member is primary.
        case command([String])
        /// A request to a failover manager's API, such as Patroni's `POST http://HOST:8008/failover` with
        /// `{"candidate": "pg-b"}`: a 2xx answer, then the member must answer as primary.
        case http(HTTPPromotion)

        /// How it is done, for reports: `pg_ctl promote`, or the command.
        public var summary: String {
            switch self {
            case .pgCtl: "pg_ctl promote"
            case .command(let argv): argv.joined(separator: " ")
            case .http(let request): "\(request.method.rawValue) \(request.url)"
            }
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .pgCtl:
                var c = encoder.singleValueContainer()
                try c.encode("pg_ctl")
            case .command(let argv):
                var c = encoder.container(keyedBy: ManifestKey.self)
                try c.put("command", argv)
            case .http(let request):
                var c = encoder.container(keyedBy: ManifestKey.self)
                try c.put("http", request)
            }
        }
    }

    public var name: String
    public var zone: String
    public var role: Datastore.Role
    /// Where clients and the drill reach it.
    public var address: HostPort
    /// Where its processes and data directory are: this machine, or a host over SSH.
    public var host: MemberHost
    /// Its data directory, on `host`.
    public var dataDirectory: String
    public var promote: Promotion
    /// `postgres` options beside `-p PORT` when Switchyard starts the member again (`pg_ctl start -o`), such as
    /// `-c config_file=/etc/postgresql/15/main/postgresql.conf`.
    public var serverOptions: String?
    /// The PostgreSQL tools run as this user when Switchyard runs as root (they refuse root); the data directory's owner.
    public var runAs: String
    /// Where `pg_ctl`, `pg_rewind` and `pg_basebackup` are on `host`; nil: the newest /usr/lib/postgresql/*/bin there, else PATH.
    public var binDirectory: String?

    /// `host` nil: derived from `address` (`MemberHost.derived`).
    public init(name: String, zone: String, role: Datastore.Role, address: HostPort, host: MemberHost? = nil, dataDirectory: String,
                promote: Promotion = .pgCtl, serverOptions: String? = nil, runAs: String = "postgres", binDirectory: String? = nil) {
        self.name = name
        self.zone = zone
        self.role = role
        self.address = address
        self.host = host ?? .derived(from: address)
        self.dataDirectory = dataDirectory
        self.promote = promote
        self.serverOptions = serverOptions
        self.runAs = runAs
        self.binDirectory = binDirectory
    }
}

/// A failover manager's API call that promotes a member.
public struct HTTPPromotion: Sendable, Hashable, Encodable {
    public enum Method: String, Sendable, Hashable, Encodable, CaseIterable { case post = "POST", put = "PUT" }

    public var url: String
    public var method: Method
    /// Sent as `application/json` when set.
    public var body: String?
    public var headers: [String: String]

    public init(url: String, method: Method = .post, body: String? = nil, headers: [String: String] = [:]) {
        self.url = url
        self.method = method
        self.body = body
        self.headers = headers
    }
}
