import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A drill playbook as `GET /v1/drills` shows it: its schedule, what the scheduler has decided so far, the run
/// still running and the next fire times (those inside a blackout carry its name: they will be skipped).
public struct DrillView: Codable, Sendable, Hashable {
    public struct ScheduleView: Codable, Sendable, Hashable {
        public var cron: String
        public var timeZone: String
        public var concurrency: String
        public var startingDeadline: String
        public var deferDeadline: String
        public var blackouts: [String]
    }

    public struct StateView: Codable, Sendable, Hashable {
        public var handledThrough: Date?
        public var deferredFire: Date?
    }

    public struct NextRun: Codable, Sendable, Hashable {
        public var fire: Date
        /// `2026-04-01T03:00:00+08:00`: ISO 8601 with the schedule's offset.
        public var local: String
        /// `2026-03-31T19:00:00Z`.
        public var utc: String
        public var blackout: String?
    }

    public var name: String
    public var description: String?
    public var topology: String
    /// Nil for a drill that runs only when asked.
    public var schedule: ScheduleView?
    public var state: StateView?
    public var runningRun: String?
    public var nextRuns: [NextRun]

    public init(_ playbook: DrillPlaybook, state: ScheduleState?, runningRun: String?, now: Date, count: Int) {
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

/// A drill run as the API lists it, and as `yard drill history --json` prints it, locally and through `--server`. For a
/// fire time the scheduler did not start (`skipped`, `missed`, `failed-to-start`), `fire` and `reason` come from its
/// report; for a run, `outcome`, `rtoSeconds`, `recovered`, `verdict` and `failedObjectives` do.
public struct DrillRunView: Codable, Sendable, Hashable {
    public var id: String
    public var playbook: String
    public var status: String
    public var startedAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    public var fire: Date?
    public var reason: String?
    /// Set once someone asked the run to stop (`yard drill abort`).
    public var abortRequestedAt: Date?
    public var outcome: String?
    /// Seconds from the fault to recovery; nil when not measured yet or not recovered (then `recovered` is false).
    public var rtoSeconds: Double?
    public var recovered: Bool?
    /// The outcome, with the missed objectives when it failed: `failed (rto, min-success-rate)`.
    public var verdict: String?
    public var failedObjectives: [String]?

    public init(_ record: DrillRunRecord) {
        id = record.id
        playbook = record.playbook
        status = record.status
        startedAt = record.startedAt
        updatedAt = record.updatedAt
        finishedAt = record.finishedAt
        abortRequestedAt = record.abortRequest?.at
        if let report = try? record.report?.decode(ScheduledFireRecord.Report.self), report.skipped != nil || report.failedToStart != nil {
            fire = report.skipped?.fire ?? report.failedToStart?.fire
            reason = report.skipped?.reason ?? report.failedToStart?.reason
            return
        }
        guard let stored = record.report else { return }
        guard let report = try? stored.decode(DrillReport.self) else { verdict = "unreadable report"; return }
        guard record.isFinished else { return }
        outcome = report.outcome.rawValue
        if let m = report.measurements {
            rtoSeconds = m.rto
            recovered = m.rto != nil
        }
        verdict = report.verdictSummary
        failedObjectives = report.failedObjectives
    }
}

/// `GET /v1/drills/runs/{id}`: the run and its report, as stored.
public struct DrillRunDetailView: Codable, Sendable, Hashable {
    public var run: DrillRunView
    public var report: JSONValue?

    public init(_ record: DrillRunRecord) {
        run = DrillRunView(record)
        report = record.report.map { JSONValue(parsing: $0.text) ?? .string($0.text) }
    }

    /// The report as a drill report (nil for a fire time the scheduler did not start, or a report this build cannot read).
    public var drillReport: DrillReport? {
        guard let report, let data = try? JSONResponse.encoder.encode(report) else { return nil }
        return try? YarddClient.decoder.decode(DrillReport.self, from: data)
    }

    public init(from decoder: any Decoder) throws {
        run = try DrillRunView(from: decoder)
        report = try decoder.container(keyedBy: Key.self).decodeIfPresent(JSONValue.self, forKey: .report)
    }

    public func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(report, forKey: .report)
    }

    private enum Key: String, CodingKey { case report }
}

/// The body of `POST /v1/drills/runs/{id}/abort`; optional.
public typealias DrillAbortRequestBody = AbortRequest
