/// Where a fleet runs: zones, the load balancers in front, the services and their instances,
/// and the datastores that drills can name.
public struct Topology: Sendable, Hashable, Encodable {
    public var name: String
    public var description: String?
    public var zones: [Zone]
    public var loadBalancers: [LoadBalancer]
    public var services: [Service]
    public var datastores: [Datastore]
    /// Where releases, drills and capacity plans of this topology are told about.
    public var notify: [NotifyTarget] = []

    public init(name: String, description: String? = nil, zones: [Zone], loadBalancers: [LoadBalancer], services: [Service], datastores: [Datastore] = []) {
        self.name = name
        self.description = description
        self.zones = zones
        self.loadBalancers = loadBalancers
        self.services = services
        self.datastores = datastores
    }

    public func service(named name: String) -> Service? { services.first { $0.name == name } }
    public func loadBalancer(named name: String) -> LoadBalancer? { loadBalancers.first { $0.name == name } }
}

public struct Zone: Sendable, Hashable, Encodable {
    public var name: String
    public var description: String?
    /// The machines of the zone that run instances over SSH; empty: this machine, local processes.
    public var hosts: [ZoneHost]

    public init(name: String, description: String? = nil, hosts: [ZoneHost] = []) {
        self.name = name
        self.description = description
        self.hosts = hosts
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        try c.put("name", name)
        try c.put("description", description)
        if !hosts.isEmpty { try c.put("hosts", hosts) }
    }
}

/// The two copies of a service that a blue-green release alternates between.
public enum Slot: String, Sendable, Hashable, Codable, CaseIterable {
    case blue, green

    public var other: Slot { self == .blue ? .green : .blue }
}

public struct LoadBalancer: Sendable, Hashable, Encodable {
    public enum Driver: String, Sendable, Hashable, Codable, CaseIterable { case nginx }

    public var name: String
    public var driver: Driver
    /// Where users connect: the live upstream.
    public var listen: HostPort
    /// Where gates reach the idle slot before it takes traffic.
    public var previewListen: HostPort
    /// The directory nginx runs from (its prefix); relative paths are relative to the working directory.
    public var directory: String
    /// True when Switchyard starts and stops this nginx itself (the local topology).
    public var managed: Bool
    /// The command that reloads a site-managed nginx (nil: `nginx -c CONFIG -s reload`); Switchyard signals its own
    /// nginx directly.
    public var reloadCommand: [String]?
    /// The files of a site-managed nginx Switchyard reads or writes (`siteNodes` resolves them per node).
    public var site = SiteNginxFiles()
    /// nginx's `worker_shutdown_timeout`: how long an old worker may keep streams after a reload.
    public var drainTimeout: TimeSpan
    /// Passive health: `max_fails` and `fail_timeout` on every upstream server.
    public var maxFails: Int
    public var failTimeout: TimeSpan
    /// False renders an nginx without the two things that make losing a server survivable: no failure
    /// tracking (`max_fails=0`) and no retry on the next server (`proxy_next_upstream off`). For drills
    /// that show what they are worth; true (the default) everywhere else.
    public var passiveHealth: Bool
    /// nginx's `keepalive_timeout` towards clients. 0 (the default) closes each client connection after
    /// its answer: at every reload the old workers close their idle keep-alive connections, and a client
    /// that reuses one at that instant gets a connection error. Measured: 1 to 4 failed requests per
    /// switch at 100 requests/s with keep-alive, 0 without.
    public var clientKeepalive: TimeSpan
    /// nginx nodes of a keepalived pair, one or more per zone; empty for a single local nginx.
    public var nodes: [Node]
    public var virtualAddress: String?

    public struct Node: Sendable, Hashable, Encodable {
        public var name: String
        public var zone: String
        public var address: String
        /// A site-managed nginx on this node lives in another directory than the load balancer's.
        public var directory: String?
        /// This node's nginx pid file, when it is not the load balancer's.
        public var pidFile: String?
        /// How this node's nginx reloads, when not as the load balancer says.
        public var reloadCommand: [String]?
        /// Run on the machine Switchyard runs on (out of band: a hypervisor, a cloud API, a switch port) to cut this node
        /// off its network, for `lb-node-kill` on a keepalived pair; `reconnectCommand` undoes it. Both or neither.
        public var cutCommand: [String]?
        public var reconnectCommand: [String]?
        /// How keepalived runs on the node (nil: Debian's defaults), for the restore after a cut.
        public var keepalived: KeepalivedProcess?

        public init(name: String, zone: String, address: String, directory: String? = nil, pidFile: String? = nil, reloadCommand: [String]? = nil,
                    cutCommand: [String]? = nil, reconnectCommand: [String]? = nil, keepalived: KeepalivedProcess? = nil) {
            self.directory = directory
            self.pidFile = pidFile
            self.reloadCommand = reloadCommand
            self.cutCommand = cutCommand
            self.reconnectCommand = reconnectCommand
            self.keepalived = keepalived
            self.name = name
            self.zone = zone
            self.address = address
        }
    }

    public init(name: String, driver: Driver = .nginx, listen: HostPort, previewListen: HostPort, directory: String,
                managed: Bool = true, reloadCommand: [String]? = nil, drainTimeout: TimeSpan = .minutes(10),
                maxFails: Int = 1, failTimeout: TimeSpan = .seconds(10), clientKeepalive: TimeSpan = .ms(0),
                nodes: [Node] = [], virtualAddress: String? = nil, passiveHealth: Bool = true) {
        self.name = name
        self.driver = driver
        self.listen = listen
        self.previewListen = previewListen
        self.directory = directory
        self.managed = managed
        self.reloadCommand = reloadCommand
        self.drainTimeout = drainTimeout
        self.maxFails = maxFails
        self.failTimeout = failTimeout
        self.passiveHealth = passiveHealth
        self.clientKeepalive = clientKeepalive
        self.nodes = nodes
        self.virtualAddress = virtualAddress
    }
}

public struct Service: Sendable, Hashable, Encodable {
    public var name: String
    public var zones: [String]
    public var replicasPerZone: Int
    public var loadBalancer: String?
    public var instance: InstanceSpec
    public var health: HealthPaths
    public var drainTimeout: TimeSpan
    /// What one instance serves at its latency objective, in requests per second.
    public var capacityQPS: Double
    /// How the instances name the metrics that metric gates read.
    public var metricNames: GatewayMetricNames
    /// The labels a host must carry, each with the value given, for the service to run there (`hostLabels`);
    /// empty: every host of its zones.
    public var hostLabels: [String: String] = [:]
    /// The hosts of the service's zones (from the topology's `zones[].hosts`) that carry its `hostLabels`, over
    /// which its instances are spread; empty: every instance is a local process.
    public var hosts: [ZoneHost] = []

    enum CodingKeys: String, CodingKey {
        case name, zones, replicasPerZone, loadBalancer, instance, health, drainTimeout, capacityQPS, metricNames, hostLabels
    }

    public init(name: String, zones: [String], replicasPerZone: Int, loadBalancer: String?, instance: InstanceSpec,
                health: HealthPaths = HealthPaths(), drainTimeout: TimeSpan = .seconds(60), capacityQPS: Double,
                metricNames: GatewayMetricNames = GatewayMetricNames()) {
        self.name = name
        self.zones = zones
        self.replicasPerZone = replicasPerZone
        self.loadBalancer = loadBalancer
        self.instance = instance
        self.health = health
        self.drainTimeout = drainTimeout
        self.capacityQPS = capacityQPS
        self.metricNames = metricNames
    }
}

public struct HealthPaths: Sendable, Hashable, Encodable {
    public var readiness: String
    public var liveness: String
    public var metrics: String

    public init(readiness: String = "/readyz", liveness: String = "/healthz", metrics: String = "/metrics") {
        self.readiness = readiness
        self.liveness = liveness
        self.metrics = metrics
    }
}

/// How a service's instances are started. The `process` driver runs a local command, the `ssh` driver
/// the same command on the instance's host; the command may use `{port}`, `{host}` (the address the
/// instance listens on: its host's, or `host` below), `{version}`, `{zone}`, `{slot}`, `{instance}` and `{service}`.
public struct InstanceSpec: Sendable, Hashable, Encodable {
    public enum Driver: String, Sendable, Hashable, Codable, CaseIterable { case process }

    public var driver: Driver
    public var command: String
    public var host: String
    public var ports: PortRange

    public static let placeholders = ["port", "host", "version", "zone", "slot", "instance", "service"]

    public init(driver: Driver = .process, command: String, host: String = "127.0.0.1", ports: PortRange) {
        self.driver = driver
        self.command = command
        self.host = host
        self.ports = ports
    }
}

/// The ports a service's instances may take: `9100` (a base, as many as needed) or `9100-9199`.
public struct PortRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var first: Int
    public var last: Int?

    public init(first: Int, last: Int? = nil) {
        self.first = first
        self.last = last
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), let first = Int(parts[0]), (1...65535).contains(first) else { return nil }
        if parts.count == 2 {
            guard let last = Int(parts[1]), (first...65535).contains(last) else { return nil }
            self.init(first: first, last: last)
        } else {
            self.init(first: first)
        }
    }

    public var description: String { last.map { "\(first)-\($0)" } ?? "\(first)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let base = try? container.decode(Int.self) { self.init(first: base); return }
        let text = try container.decode(String.self)
        guard let value = PortRange(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a port or a port range such as 9100-9199"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let last { try container.encode("\(first)-\(last)") } else { try container.encode(first) }
    }
}

public struct Datastore: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case mysql, postgres, redis }
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable { case primary, replica }

    public var name: String
    public var kind: Kind
    public var placement: [Placement]
    /// The servers drills act on (kind postgres); empty: the datastore is only described by its placement.
    public var members: [DatastoreMember]
    /// The connection string the applications use, which the drill's write probe uses too; set with `members`.
    public var clients: ClientConnectionString?
    /// Who promotes a replica when a drill loses the primary: the drill, or the site's failover manager it waits for.
    public var failover: DatastoreFailover

    /// How many nodes of one role stand in one zone.
    public struct Placement: Sendable, Hashable, Encodable {
        public var zone: String
        public var role: Role
        public var count: Int

        public init(zone: String, role: Role, count: Int = 1) {
            self.zone = zone
            self.role = role
            self.count = count
        }
    }

    public init(name: String, kind: Kind, placement: [Placement], members: [DatastoreMember] = [], clients: ClientConnectionString? = nil,
                failover: DatastoreFailover = .drillPromotes) {
        self.name = name
        self.kind = kind
        self.placement = placement
        self.members = members
        self.clients = clients
        self.failover = failover
    }

    /// The placement that `members` make: per zone and role, how many.
    public static func placement(of members: [DatastoreMember]) -> [Placement] {
        var result: [Placement] = []
        for member in members {
            if let index = result.firstIndex(where: { $0.zone == member.zone && $0.role == member.role }) { result[index].count += 1 } else {
                result.append(Placement(zone: member.zone, role: member.role))
            }
        }
        return result
    }

    public func member(named name: String) -> DatastoreMember? { members.first { $0.name == name } }

    /// As written: the placement alone, or the members and the clients' connection string (the placement is theirs).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ManifestKey.self)
        try c.put("name", name)
        try c.put("kind", kind)
        if members.isEmpty {
            try c.put("placement", placement)
        } else {
            try c.put("clients", clients)
            try c.put("members", members)
        }
    }

    public var primaryZones: [String] { placement.filter { $0.role == .primary }.map(\.zone) }
}
