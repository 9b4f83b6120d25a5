import Foundation

/// What the scheduler remembers about one drill schedule between evaluations. The daemon persists
/// it and hands it back; the engine never keeps state of its own.
public struct ScheduleState: Sendable, Hashable, Codable {
    /// Every fire time at or before this instant has been decided. Nil for a schedule never
    /// evaluated: its first evaluation starts the clock and fires nothing retroactively.
    public var handledThrough: Date?
    /// A fire time waiting for a release of the same topology to end (at most one: the latest).
    public var deferredFire: Date?

    public init(handledThrough: Date? = nil, deferredFire: Date? = nil) {
        self.handledThrough = handledThrough
        self.deferredFire = deferredFire
    }
}

/// What is going on in the world at `now`, as the daemon sees it.
public struct ScheduleFacts: Sendable, Hashable {
    /// A release of the drill's topology is running.
    public var releaseRunning: Bool
    /// A previous run of this drill that has not finished, by its run id.
    public var runningDrill: String?

    public init(releaseRunning: Bool = false, runningDrill: String? = nil) {
        self.releaseRunning = releaseRunning
        self.runningDrill = runningDrill
    }
}

/// One thing the daemon must do (or record) for one fire time.
public enum ScheduleAction: Sendable, Hashable {
    /// Start a run for this fire time.
    case start(fire: Date)
    /// Concurrency `replace`: stop the running run `running`, then start one for `fire`.
    case replace(running: String, fire: Date)
    /// Record that this fire time did not run, and why.
    case skip(fire: Date, reason: SkipReason)
    /// A release of the same topology is running: wait, at the latest until `until`.
    case `defer`(fire: Date, until: Date)

    public var fire: Date {
        switch self {
        case .start(let fire), .replace(_, let fire), .skip(let fire, _), .defer(let fire, _): fire
        }
    }
}

public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// The fire time (or the late start) fell inside this blackout.
    case blackout(String)
    /// Not started in time: the daemon was down, or a newer fire time superseded it.
    case missed(lateBy: TimeSpan)
    /// A release of the same topology was still running when the deferral ran out (or a newer fire came).
    case releaseRunning(waited: TimeSpan)
    /// Concurrency `forbid`: this earlier run was still running.
    case alreadyRunning(String)

    public var description: String {
        switch self {
        case .blackout(let name): "in blackout \(name)"
        case .missed(let late): "missed by \(late)"
        case .releaseRunning(let waited): "a release of the topology was still running after \(waited)"
        case .alreadyRunning(let run): "run \(run) was still running"
        }
    }
}

/// The outcome of one evaluation: actions in fire order, the state to persist, when to look again.
public struct ScheduleEvaluation: Sendable, Hashable {
    public var actions: [ScheduleAction]
    public var state: ScheduleState
    /// Earlier missed fire times beyond the record limit were not listed.
    public var omittedMissed: Bool
    /// The next instant the daemon should evaluate at: the next fire time, or the end of a deferral.
    /// The daemon should also evaluate as soon as a release of the topology ends.
    public var wakeAt: Date?

    public init(actions: [ScheduleAction], state: ScheduleState, omittedMissed: Bool = false, wakeAt: Date?) {
        self.actions = actions
        self.state = state
        self.omittedMissed = omittedMissed
        self.wakeAt = wakeAt
    }
}
