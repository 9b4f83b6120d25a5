import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// Starts and stops drill runs for the daemon: the scheduler calls it for each fire time it starts, and
/// `POST /v1/drills/{playbook}/run` for a run asked for by hand.
public protocol DrillLauncher: Sendable {
    /// Starts a run of `playbook` and returns its id once the run is recorded in the state store as unfinished;
    /// the run goes on in the background and finishes its record itself. `fire` is the scheduled time (the
    /// request time for a run asked for by hand); `reason` says why it runs, for its record and logs; `actor` is who asked
    /// (a token's name, or `scheduler`), for the audit log.
    /// `leaderFence` is the lease of the daemon that leads, carried by every write of the run (nil without an
    /// election). Throwing means that no run was started.
    func launch(playbook: DrillPlaybook, fire: Date, reason: String, actor: String, leaderFence: LeaseFence?) async throws -> String

    /// Stops a running run: it restores what it broke and finishes its record. Returns once it has.
    func stop(run: String, reason: String) async

    /// Restores what runs interrupted by an earlier crash left broken; the daemon calls it once it listens, before
    /// anything else acts.
    func recoverInterrupted() async

    /// Stops every running run (each restores what it broke); the daemon calls it when it shuts down.
    func stopAll(reason: String) async
}

/// Why a launcher could not start a run.
public enum DrillLaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// This daemon has no drill runner to start runs with.
    case noRunner(playbook: String)

    public var description: String {
        switch self {
        case .noRunner(let playbook):
            "this yardd cannot run drills yet (no drill runner is configured), so drill \(playbook) was not started"
        }
    }
}

/// The launcher of a daemon started without a drill runner: every launch is refused, so scheduled fire times
/// are recorded as failed to start instead of silently dropped.
public struct UnavailableDrillLauncher: DrillLauncher {
    public init() {}

    public func launch(playbook: DrillPlaybook, fire: Date, reason: String, actor: String, leaderFence: LeaseFence?) async throws -> String {
        throw DrillLaunchError.noRunner(playbook: playbook.name)
    }

    public func stop(run: String, reason: String) async {}

    public func recoverInterrupted() async {}

    public func stopAll(reason: String) async {}
}
