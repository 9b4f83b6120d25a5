import Foundation
import SwitchyardCore
import SwitchyardRuntime
import SwitchyardServer
import Synchronization

/// A launcher that records each run in the state store as the drill runner does, without breaking anything:
/// `running` at once, then `passed` with a small report after `runFor` (with nil, only when the test finishes
/// it, or when it is stopped). It keeps what it was asked, and the schedule state stored at each launch.
actor RecordingDrillLauncher: DrillLauncher {
    struct Launch: Sendable, Hashable {
        var playbook: String
        var fire: Date
        var reason: String
        var run: String
        /// The playbook's schedule state in the store when the launch came.
        var storedState: ScheduleState?
        /// The leader's lease the run was given.
        var leaderFence: LeaseFence?
    }

    let store: any StateStore
    let clock: @Sendable () -> Date
    let runFor: Duration?
    private(set) var launches: [Launch] = []
    private(set) var stops: [String] = []
    /// How many times it was asked to restore interrupted runs.
    private(set) var recoveries = 0

    init(store: any StateStore, clock: @escaping @Sendable () -> Date = { Date() }, runFor: Duration? = nil) {
        self.store = store
        self.clock = clock
        self.runFor = runFor
    }

    func launch(playbook: DrillPlaybook, fire: Date, reason: String, actor: String, leaderFence: LeaseFence?) async throws -> String {
        let run = "run-\(UUID().uuidString.prefix(8).lowercased())"
        let state = try await store.scheduleState(playbook: playbook.name)
        _ = try await store.createDrillRun(id: run, playbook: playbook.name, status: "running", now: clock())
        launches.append(Launch(playbook: playbook.name, fire: fire, reason: reason, run: run, storedState: state, leaderFence: leaderFence))
        if let runFor {
            let store = self.store, clock = self.clock
            Task {
                try? await Task.sleep(for: runFor)
                _ = try? await store.updateDrillRun(id: run, status: "passed", report: try JSONText(encoding: ["verdict": "passed"]),
                                                    finished: true, now: clock())
            }
        }
        return run
    }

    func stop(run: String, reason: String) async {
        stops.append(run)
        _ = try? await store.updateDrillRun(id: run, status: "stopped", report: nil, finished: true, now: clock())
    }

    func recoverInterrupted() async { recoveries += 1 }

    func stopAll(reason: String) async {}

    func finish(_ run: String) async throws {
        try await store.updateDrillRun(id: run, status: "passed", report: nil, finished: true, now: clock())
    }
}

/// A clock the test sets by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    var function: @Sendable () -> Date { { [self] in now } }
}
