import Foundation
import Logging
import Synchronization

/// What a daemon does while it leads, begun when it is elected and ended when it is deposed: restore what interrupted
/// drills broke, then take over unfinished releases, and keep looking for releases left without a driver (a deposed
/// leader's, or one stopped here by an error) every election interval. The drill scheduler fires only while this
/// daemon leads (it asks `Leadership` itself).
final class LeaderDuties: Sendable {
    let releases: ReleaseService
    let drills: DrillScheduleService
    let interval: Duration
    let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(releases: ReleaseService, drills: DrillScheduleService, interval: Duration, logger: Logger) {
        self.releases = releases
        self.drills = drills
        self.interval = interval
        self.logger = logger
    }

    /// How often a leader looks again for interrupted drills: a drill run's lease (`DrillRunner.lease`).
    static let recoverEvery: Duration = .seconds(15)

    func begin() {
        let releases = self.releases, drills = self.drills, interval = self.interval, logger = self.logger
        let duties = Task {
            // Before anything else: what an interrupted drill broke is restored.
            await drills.launcher.recoverInterrupted()
            var recoveredAt = ContinuousClock.now
            while !Task.isCancelled {
                do { try await releases.resumeUnfinished() } catch { logger.error("cannot list unfinished releases: \(error)") }
                // Again once a drill lease could have run out: a run whose driver died on another host (its lock not
                // provably free at the first look) is restored then, and a failed restore is retried.
                if ContinuousClock.now - recoveredAt >= Self.recoverEvery {
                    await drills.launcher.recoverInterrupted()
                    recoveredAt = ContinuousClock.now
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = duties }
    }

    /// As a standby: ready to serve reads and to name the leader.
    func follow() async { await releases.markReady() }

    /// Stops looking, then stops every release and drill driven here (each stays journaled for the next leader).
    func end(reason: String) async {
        let duties = task.withLock { current in defer { current = nil }; return current }
        duties?.cancel()
        await duties?.value
        await releases.stopAll(reason: reason)
        await drills.launcher.stopAll(reason: reason)
    }
}
