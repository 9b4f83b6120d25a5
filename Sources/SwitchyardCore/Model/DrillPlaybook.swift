/// A disaster drill: what to break, on which schedule, under what traffic, and what "survived" means.
public struct DrillPlaybook: Sendable, Hashable, Encodable {
    public var name: String
    public var description: String?
    public var topology: String
    /// Absent: the drill runs only when asked (`yard drill run`).
    public var schedule: DrillSchedule?
    public var steadyState: [SteadyStateProbe]
    public var load: LoadProfile
    public var fault: FaultSpec
    /// How long the fault stays before it is restored.
    public var duration: TimeSpan
    public var guardrails: Guardrails
    public var objectives: Objectives
    /// Targets told about this drill's runs and skips, besides the topology's.
    public var notify: [NotifyTarget] = []

    public init(name: String, description: String? = nil, topology: String, schedule: DrillSchedule?, steadyState: [SteadyStateProbe],
                load: LoadProfile, fault: FaultSpec, duration: TimeSpan, guardrails: Guardrails, objectives: Objectives) {
        self.name = name
        self.description = description
        self.topology = topology
        self.schedule = schedule
        self.steadyState = steadyState
        self.load = load
        self.fault = fault
        self.duration = duration
        self.guardrails = guardrails
        self.objectives = objectives
    }
}

public struct DrillSchedule: Sendable, Hashable, Encodable {
    public enum Concurrency: String, Sendable, Hashable, Codable, CaseIterable { case forbid, replace }

    /// Five-field cron expression (or `@daily`, `@weekly`, `@monthly`, `@yearly`), read in `timeZone`.
    public var cron: String
    /// IANA time zone name, such as `Asia/Shanghai`.
    public var timeZone: String
    public var blackouts: [Blackout]
    public var concurrency: Concurrency
    /// A run missed while the daemon was down still starts if it is at most this late.
    public var startingDeadline: TimeSpan
    /// How long a run may wait for a release of the same topology to end before it is skipped.
    public var deferDeadline: TimeSpan

    public init(cron: String, timeZone: String, blackouts: [Blackout] = [], concurrency: Concurrency = .forbid,
                startingDeadline: TimeSpan = .hours(1), deferDeadline: TimeSpan = .hours(2)) {
        self.cron = cron
        self.timeZone = timeZone
        self.blackouts = blackouts
        self.concurrency = concurrency
        self.startingDeadline = startingDeadline
        self.deferDeadline = deferDeadline
    }
}

/// A time when drills must not run: an absolute range (a sales freeze) or a weekly window.
public enum Blackout: Sendable, Hashable {
    /// From and to as local date-times (`2026-11-01T00:00`) in the schedule's time zone.
    case range(name: String, from: LocalDateTime, to: LocalDateTime)
    /// Every week on these days, from one local time of day to another (may pass midnight).
    case weekly(name: String, days: [Weekday], from: TimeOfDay, to: TimeOfDay)

    public var name: String {
        switch self {
        case .range(let name, _, _), .weekly(let name, _, _, _): name
        }
    }
}

public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable {
    case sun, mon, tue, wed, thu, fri, sat

    /// 0 for Sunday, as cron counts.
    public var index: Int { Weekday.allCases.firstIndex(of: self)! }
}

/// A wall-clock time of day, `HH:MM`.
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var minutes: Int { hour * 60 + minute }
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
    public var description: String { String(format: "%02d:%02d", hour, minute) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A calendar date and wall-clock time with no time zone of its own: `2026-11-11T09:30`.
public struct LocalDateTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Parses `2026-11-11`, `2026-11-11T09:30` or `2026-11-11 09:30`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let halves = trimmed.split(maxSplits: 1, whereSeparator: { $0 == "T" || $0 == " " })
        guard let datePart = halves.first else { return nil }
        let date = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
              (1...12).contains(month), (1...LocalDateTime.daysIn(month: month, year: year)).contains(day) else { return nil }
        var time = TimeOfDay(hour: 0, minute: 0)
        if halves.count == 2 {
            var clock = String(halves[1])
            if clock.count == 8, clock.hasSuffix(":00") { clock = String(clock.dropLast(3)) }
            guard let parsed = TimeOfDay(parsing: clock), parsed.hour < 24 else { return nil }
            time = parsed
        }
        self.init(year: year, month: month, day: day, hour: time.hour, minute: time.minute)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private var key: [Int] { [year, month, day, hour, minute] }
    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.key.lexicographicallyPrecedes(b.key) }

    public var description: String {
        hour == 0 && minute == 0
            ? String(format: "%04d-%02d-%02d", year, month, day)
            : String(format: "%04d-%02d-%02dT%02d:%02d", year, month, day, hour, minute)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A check that the system is healthy, before the fault and after the restore.
public struct SteadyStateProbe: Sendable, Hashable, Encodable {
    public var name: String
    public var path: String
    public var expectStatus: Int
    /// Share of probe requests that must succeed.
    public var minSuccessRate: Ratio
    public var requests: Int

    public init(name: String, path: String, expectStatus: Int = 200, minSuccessRate: Ratio = Ratio(1), requests: Int = 20) {
        self.name = name
        self.path = path
        self.expectStatus = expectStatus
        self.minSuccessRate = minSuccessRate
        self.requests = requests
    }
}

/// Traffic the built-in generator drives through the load balancer.
public struct LoadProfile: Sendable, Hashable, Encodable {
    public var requestsPerSecond: Int
    public var streams: Int
    /// How long each stream lasts (the gateway's tokens x delay).
    public var streamDuration: TimeSpan

    public init(requestsPerSecond: Int, streams: Int, streamDuration: TimeSpan = .seconds(10)) {
        self.requestsPerSecond = requestsPerSecond
        self.streams = streams
        self.streamDuration = streamDuration
    }
}

/// What a drill breaks. One case per kind.
public enum FaultSpec: Sendable, Hashable {
    /// SIGKILL `count` instances of a service, in one zone or anywhere.
    case instanceKill(service: String, zone: String?, count: Int)
    /// Every instance of a zone stopped (SIGTERM then SIGKILL), frozen (SIGSTOP) or cut off the network.
    case zoneOutage(zone: String, mode: ZoneOutageMode)
    /// One nginx node of a pair.
    case lbNodeKill(loadBalancer: String, node: String?)
    /// A command (stop a database primary, say), its restore command and a check that recovery happened.
    case exec(command: [String], restore: [String], recoveryCheck: [String]?, datastore: String?)
    /// A datastore's primary lost (every process of it SIGKILLed, or its port cut off its host's network), a replica
    /// promoted as its member says, numbered writes probing through the clients' connection string at `writesPerSecond`
    /// all along; the restore reconnects it and makes the old primary a replica of the new one.
    case dbPrimaryLoss(datastore: String, writesPerSecond: Int, mode: PrimaryLossMode)

    public var kind: String {
        switch self {
        case .instanceKill: "instance-kill"
        case .zoneOutage: "zone-outage"
        case .lbNodeKill: "lb-node-kill"
        case .exec: "exec"
        case .dbPrimaryLoss: "db-primary-loss"
        }
    }

    public static let kinds = ["instance-kill", "zone-outage", "lb-node-kill", "exec", "db-primary-loss"]
}

public enum ZoneOutageMode: String, Sendable, Hashable, Codable, CaseIterable { case stop, freeze, network }

/// How a `db-primary-loss` loses the primary. `kill`: SIGKILL to its postmaster and every child, as when its machine
/// dies. `network`: its port cut off on its host (iptables DROP in and out), as when its network is gone: the server runs
/// on, still a primary, unreachable; clients' connections go silent instead of closing.
public enum PrimaryLossMode: String, Sendable, Hashable, Codable, CaseIterable { case kill, network }

public struct Guardrails: Sendable, Hashable, Encodable {
    /// Abort when the per-second success rate stays under this floor for `floorFor`.
    public var minSuccessRate: Ratio?
    public var floorFor: TimeSpan
    /// Abort when p99 latency goes over this ceiling.
    public var maxP99: TimeSpan?

    public init(minSuccessRate: Ratio? = nil, floorFor: TimeSpan = .seconds(10), maxP99: TimeSpan? = nil) {
        self.minSuccessRate = minSuccessRate
        self.floorFor = floorFor
        self.maxP99 = maxP99
    }
}

public struct Objectives: Sendable, Hashable, Encodable {
    /// Injection to success back at `minSuccessRate` for 10 consecutive seconds.
    public var rto: TimeSpan
    public var minSuccessRate: Ratio
    public var maxRequestsLost: Int?
    public var maxStreamsCut: Int?
    /// Writes acknowledged before a `db-primary-loss` and missing on the new primary afterwards.
    public var maxLostWrites: Int?

    public init(rto: TimeSpan, minSuccessRate: Ratio, maxRequestsLost: Int? = nil, maxStreamsCut: Int? = nil, maxLostWrites: Int? = nil) {
        self.rto = rto
        self.minSuccessRate = minSuccessRate
        self.maxRequestsLost = maxRequestsLost
        self.maxStreamsCut = maxStreamsCut
        self.maxLostWrites = maxLostWrites
    }
}
