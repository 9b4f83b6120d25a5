import Foundation

/// What people are told about: a release's start and end, a drill's verdict or skip, a capacity plan the
/// fleet of today cannot carry.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case releaseStarted = "release.started"
    case releasePromoted = "release.promoted"
    case releaseRolledBack = "release.rolled-back"
    case releaseAborted = "release.aborted"
    case releaseFailed = "release.failed"
    case drillPassed = "drill.passed"
    case drillFailed = "drill.failed"
    case drillAborted = "drill.aborted"
    case drillError = "drill.error"
    case drillSkipped = "drill.skipped"
    case capacityExceedsFleet = "capacity.exceeds-fleet"

    /// Whether it is bad news (a chat message shows it so).
    public var isAlarm: Bool {
        switch self {
        case .releaseRolledBack, .releaseAborted, .releaseFailed, .drillFailed, .drillAborted, .drillError, .capacityExceedsFleet: true
        case .releaseStarted, .releasePromoted, .drillPassed, .drillSkipped: false
        }
    }

    /// The event a drill's outcome is told as.
    public static func drill(_ outcome: DrillOutcome) -> NotificationEvent {
        switch outcome {
        case .passed: .drillPassed
        case .failed: .drillFailed
        case .aborted: .drillAborted
        case .error: .drillError
        }
    }
}

/// One thing to tell: the event, what it is about, one line for people, and figures for machines.
public struct Notice: Sendable, Hashable {
    public var event: NotificationEvent
    public var at: Date
    public var topology: String
    /// The release id, drill run id or capacity plan name.
    public var subject: String
    /// One line, such as `gateway 1.2.0 rolled back: bake gate failed: p99-ttft 498ms is outside ≤ 250ms`.
    public var text: String
    /// Figures and names, as strings (service, version, reason, rto, …).
    public var details: [String: String]

    public init(event: NotificationEvent, at: Date, topology: String, subject: String, text: String, details: [String: String] = [:]) {
        self.event = event
        self.at = at
        self.topology = topology
        self.subject = subject
        self.text = text
        self.details = details
    }
}
