import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// The drill-run record the scheduler writes for a fire time that did not start: skipped (blackout, a release
/// of the topology, a run still running), missed (too late), or failed to start (the launcher refused).
/// Each is a finished run whose report says why: `{"skipped": {"fire", "reason", "kind", …}}` or
/// `{"failedToStart": {"fire", "reason"}}`.
///
/// The id is derived from the playbook and the fire time (`sched-20260401-030000-drill-zone-outage`), so a
/// daemon that dies after recording and before saving its schedule state records nothing twice.
struct ScheduledFireRecord: Sendable {
    struct Report: Codable, Sendable, Hashable {
        var skipped: Skipped?
        var failedToStart: FailedToStart?
    }

    struct Skipped: Codable, Sendable, Hashable {
        var fire: Date
        /// For people: `in blackout weekends`, `missed by 2h`.
        var reason: String
        /// For programs: `blackout`, `missed`, `releaseRunning`, `alreadyRunning`.
        var kind: String
        var blackout: String?
        /// `missed`: how late the daemon was, `releaseRunning`: how long it waited (`2h30m`).
        var late: String?
        /// `alreadyRunning`: the run still running.
        var runningRun: String?
    }

    struct FailedToStart: Codable, Sendable, Hashable {
        var fire: Date
        var reason: String
    }

    static let prefix = "sched-"
    static let failedToStartStatus = "failed-to-start"

    let store: any StateStore

    static func id(playbook: String, fire: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: fire)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return prefix + String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "-" + two(c.hour) + two(c.minute) + two(c.second) + "-" + playbook
    }

    /// `missed` for a fire that came too late, `skipped` for every other reason.
    static func status(_ reason: SkipReason) -> String {
        if case .missed = reason { return "missed" }
        return "skipped"
    }

    static func skipped(fire: Date, reason: SkipReason) -> Skipped {
        switch reason {
        case .blackout(let name): Skipped(fire: fire, reason: reason.description, kind: "blackout", blackout: name)
        case .missed(let late): Skipped(fire: fire, reason: reason.description, kind: "missed", late: late.description)
        case .releaseRunning(let waited): Skipped(fire: fire, reason: reason.description, kind: "releaseRunning", late: waited.description)
        case .alreadyRunning(let run): Skipped(fire: fire, reason: reason.description, kind: "alreadyRunning", runningRun: run)
        }
    }

    /// Records a skipped or missed fire time; returns false when it was already recorded.
    @discardableResult
    func recordSkip(playbook: String, fire: Date, reason: SkipReason, now: Date) async throws(StateStoreError) -> Bool {
        try await record(playbook: playbook, fire: fire, status: Self.status(reason),
                         report: Report(skipped: Self.skipped(fire: fire, reason: reason)), now: now)
    }

    /// Records a fire time the launcher could not start.
    @discardableResult
    func recordFailedStart(playbook: String, fire: Date, error: any Error, now: Date) async throws(StateStoreError) -> Bool {
        try await record(playbook: playbook, fire: fire, status: Self.failedToStartStatus,
                         report: Report(failedToStart: FailedToStart(fire: fire, reason: "\(error)")), now: now)
    }

    private func record(playbook: String, fire: Date, status: String, report: Report, now: Date) async throws(StateStoreError) -> Bool {
        let id = Self.id(playbook: playbook, fire: fire)
        let text = try JSONText(encoding: report)
        do throws(StateStoreError) {
            _ = try await store.createDrillRun(id: id, playbook: playbook, status: status, now: now)
        } catch {
            guard case .drillRunExists = error else { throw error }
            // Recorded before a crash; finish it if the crash came between the two writes.
            if let existing = try await store.drillRun(id: id), !existing.isFinished {
                try await store.updateDrillRun(id: id, status: existing.status, report: existing.report ?? text, finished: true, now: now)
            }
            return false
        }
        try await store.updateDrillRun(id: id, status: status, report: text, finished: true, now: now)
        return true
    }

    /// Finishes records of this kind a crash left unfinished between their two writes, so that none of them
    /// looks like a running drill. Returns their ids.
    func finishInterrupted(now: Date) async throws(StateStoreError) -> [String] {
        var finished: [String] = []
        for run in try await store.unfinishedDrillRuns() where run.id.hasPrefix(Self.prefix) {
            try await store.updateDrillRun(id: run.id, status: run.status, report: nil, finished: true, now: now)
            finished.append(run.id)
        }
        return finished
    }
}
