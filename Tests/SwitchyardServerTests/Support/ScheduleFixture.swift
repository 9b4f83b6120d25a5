import Foundation
import Logging
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// A drill schedule under test: a temporary folder with the repository's `local` topology and one drill
/// playbook `drill-hourly` with the given schedule, its own SQLite state file, and a clock the test sets.
final class ScheduleFixture: Sendable {
    static let playbook = "drill-hourly"

    let folder: URL
    let catalog: ManifestCatalog
    let clock: TestClock
    let store: SQLiteStateStore

    /// `schedule`: the lines under `schedule:`, without their indentation.
    /// `extra`: more top-level lines of the playbook (such as a `notify:` list).
    init(schedule: [String], at start: Date, extra: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("yard-schedule-\(UUID().uuidString.prefix(8))")
        let topologies = folder.appendingPathComponent("topologies"), playbooks = folder.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: topologies, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: playbooks, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: DaemonHarness.repositoryRoot.appendingPathComponent("topologies/local.yaml"),
                                         to: topologies.appendingPathComponent("local.yaml"))
        let yaml = """
            apiVersion: switchyard/v1
            kind: DrillPlaybook
            name: \(Self.playbook)
            topology: local
            schedule:
            \(schedule.map { "  " + $0 }.joined(separator: "\n"))
            load:
              requestsPerSecond: 10
              streams: 2
            fault:
              kind: instance-kill
              service: gateway
              count: 1
            duration: 30s
            objectives:
              rto: 30s
              minSuccessRate: 99%
            \(extra.joined(separator: "\n"))

            """
        try yaml.write(to: playbooks.appendingPathComponent("\(Self.playbook).yaml"), atomically: true, encoding: .utf8)
        catalog = try ManifestCatalog.load(directory: folder.path)
        clock = TestClock(start)
        store = try SQLiteStateStore(path: folder.appendingPathComponent(".yard/state.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var statePath: String { folder.appendingPathComponent(".yard/state.sqlite").path }

    /// The store opened again from its file, as a restarted daemon opens it.
    func reopenedStore() throws -> SQLiteStateStore { try SQLiteStateStore(path: statePath) }

    func service(launcher: any DrillLauncher, store: (any StateStore)? = nil,
                 timing: DrillScheduleService.Timing = .init(), leadership: Leadership? = nil) -> DrillScheduleService {
        var logger = Logger(label: "drill-schedule-test")
        logger.logLevel = .warning
        let set = catalog.set
        return DrillScheduleService(store: store ?? self.store, manifests: { set }, launcher: launcher, clock: clock.function, timing: timing,
                                    logger: logger, leadership: leadership)
    }

    func launcher(runFor: Duration? = nil) -> RecordingDrillLauncher {
        RecordingDrillLauncher(store: store, clock: clock.function, runFor: runFor)
    }

    /// The fire-time records and runs of the playbook, oldest first.
    func runs() async throws -> [DrillRunRecord] {
        try await store.listDrillRuns(playbook: Self.playbook, limit: 1000).reversed()
    }

    func skipped(_ run: DrillRunRecord) throws -> ScheduledFireRecord.Skipped? {
        try run.report?.decode(ScheduledFireRecord.Report.self).skipped
    }
}

/// `2026-03-10T<hh:mm:ss>Z`: a Tuesday, far from daylight-saving changes.
func utc(_ time: String, day: Int = 10) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: String(format: "2026-03-%02dT", day) + time + "Z")!
}
