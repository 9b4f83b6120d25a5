import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A drill playbook as `GET /v1/drills` shows it: its schedule, what the scheduler has decided so far, the run
/// still running and the next fire times (those inside a blackout carry its name: they will be skipped).
struct DrillView: Codable, Sendable, Hashable {
    struct ScheduleView: Codable, Sendable, Hashable {
        var cron: String
        var timeZone: String
        var concurrency: String
        var startingDeadline: String
        var deferDeadline: String
        var blackouts: [String]
    }

    struct StateView: Codable, Sendable, Hashable {
        var handledThrough: Date?
        var deferredFire: Date?
    }

    struct NextRun: Codable, Sendable, Hashable {
        var fire: Date
        /// `2026-04-01 03:00 +08:00`, in the schedule's time zone.
        var local: String
        /// `2026-03-31 19:00Z`.
        var utc: String
        var blackout: String?
    }

    var name: String
    var description: String?
    var topology: String
    /// Nil for a drill that runs only when asked.
    var schedule: ScheduleView?
    var state: StateView?
    var runningRun: String?
    var nextRuns: [NextRun]

    init(_ playbook: DrillPlaybook, state: ScheduleState?, runningRun: String?, now: Date, count: Int) {
        name = playbook.name
        description = playbook.description
        topology = playbook.topology
        self.state = state.map { StateView(handledThrough: $0.handledThrough, deferredFire: $0.deferredFire) }
        self.runningRun = runningRun
        if let schedule = playbook.schedule {
            self.schedule = ScheduleView(cron: schedule.cron, timeZone: schedule.timeZone, concurrency: schedule.concurrency.rawValue,
                                         startingDeadline: schedule.startingDeadline.description, deferDeadline: schedule.deferDeadline.description,
                                         blackouts: schedule.blackouts.map(\.name))
            let compiled = try? CompiledSchedule(schedule)
            nextRuns = compiled?.upcomingRuns(after: now, count: count).map {
                NextRun(fire: $0.fire, local: $0.localISO8601, utc: $0.utcISO8601, blackout: $0.blackout)
            } ?? []
        } else {
            schedule = nil
            nextRuns = []
        }
    }
}

/// A drill run as the API lists it. For a fire time the scheduler did not start (`skipped`, `missed`,
/// `failed-to-start`), `fire` and `reason` come from its report.
struct DrillRunView: Codable, Sendable, Hashable {
    var id: String
    var playbook: String
    var status: String
    var startedAt: Date
    var updatedAt: Date
    var finishedAt: Date?
    var fire: Date?
    var reason: String?

    init(_ record: DrillRunRecord) {
        id = record.id
        playbook = record.playbook
        status = record.status
        startedAt = record.startedAt
        updatedAt = record.updatedAt
        finishedAt = record.finishedAt
        if let report = try? record.report?.decode(ScheduledFireRecord.Report.self) {
            fire = report.skipped?.fire ?? report.failedToStart?.fire
            reason = report.skipped?.reason ?? report.failedToStart?.reason
        }
    }
}

/// `GET /v1/drills/runs/{id}`: the run and its report, as stored.
struct DrillRunDetailView: Encodable, Sendable, Hashable {
    var run: DrillRunView
    var report: JSONValue?

    init(_ record: DrillRunRecord) {
        run = DrillRunView(record)
        report = record.report.map { JSONValue(parsing: $0.text) ?? .string($0.text) }
    }

    func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(report, forKey: .report)
    }

    private enum Key: String, CodingKey { case report }
}
