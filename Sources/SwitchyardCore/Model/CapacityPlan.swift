/// A capacity question before a peak: from a service's history of QPS, how many replicas
/// each zone needs for the coming event.
public struct CapacityPlan: Sendable, Hashable, Encodable {
    public var name: String
    public var description: String?
    public var topology: String
    public var service: String
    public var history: HistorySource
    public var events: [PastEvent]
    public var target: TargetEvent
    /// Extra capacity above the forecast's upper bound.
    public var headroom: Ratio
    /// The share of an instance's capacity we plan to use at the peak.
    public var targetUtilisation: Ratio
    public var surviveZoneLoss: Bool
    /// Overrides the topology's per-instance QPS (a measured figure from `yard load`).
    public var perInstanceQPS: Double?

    public init(name: String, description: String? = nil, topology: String, service: String, history: HistorySource,
                events: [PastEvent], target: TargetEvent, headroom: Ratio = .percent(20), targetUtilisation: Ratio = .percent(70),
                surviveZoneLoss: Bool = true, perInstanceQPS: Double? = nil) {
        self.name = name
        self.description = description
        self.topology = topology
        self.service = service
        self.history = history
        self.events = events
        self.target = target
        self.headroom = headroom
        self.targetUtilisation = targetUtilisation
        self.surviveZoneLoss = surviveZoneLoss
        self.perInstanceQPS = perInstanceQPS
    }
}

/// Where the history of QPS comes from.
public enum HistorySource: Sendable, Hashable {
    /// A CSV of `timestamp,qps`; a relative path is read from the manifest's own folder.
    case csv(path: String)
    /// A Prometheus range query.
    case prometheus(url: String, query: String, since: TimeSpan, step: TimeSpan)
    /// The built-in generator of realistic QPS (for examples and demos): years of hourly data.
    case synthetic(seed: Int, years: Int)

    public var kind: String {
        switch self {
        case .csv: "csv"
        case .prometheus: "prometheus"
        case .synthetic: "synthetic"
        }
    }
}

/// A past sale whose effect the model learns: its days and the window around them.
public struct PastEvent: Sendable, Hashable, Encodable {
    public var name: String
    public var start: LocalDateTime
    public var end: LocalDateTime
    /// Days before the start and after the end that the event also moves.
    public var daysBefore: Int
    public var daysAfter: Int

    public init(name: String, start: LocalDateTime, end: LocalDateTime, daysBefore: Int = 1, daysAfter: Int = 1) {
        self.name = name
        self.start = start
        self.end = end
        self.daysBefore = daysBefore
        self.daysAfter = daysAfter
    }
}

/// The coming event to plan for.
public struct TargetEvent: Sendable, Hashable, Encodable {
    public var name: String
    public var start: LocalDateTime
    public var end: LocalDateTime
    /// For an event with no history: the peak is the ordinary forecast times this.
    public var multiplier: Double?
    /// Which past events it resembles; empty: all of them.
    public var like: [String]

    public init(name: String, start: LocalDateTime, end: LocalDateTime, multiplier: Double? = nil, like: [String] = []) {
        self.name = name
        self.start = start
        self.end = end
        self.multiplier = multiplier
        self.like = like
    }
}
