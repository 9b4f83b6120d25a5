import Foundation
import SwitchyardCore

/// One release as stored: who started what, and the machine's latest snapshot. `phase`, `outcome` and
/// `reason` mirror the snapshot, kept as columns for queries; they are always written together with it.
public struct ReleaseRecord: Sendable, Hashable {
    public var id: String
    public var service: String
    public var topology: String
    public var version: String
    public var startedBy: String
    public var machine: ReleaseMachine
    public var phase: ReleaseMachine.Phase
    public var outcome: ReleaseMachine.Outcome?
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Set once, when the machine first reaches a terminal phase.
    public var finishedAt: Date?

    public var isFinished: Bool { finishedAt != nil }
}

/// What `createRelease` needs: the plan and machine come from Core, the rest from the caller.
public struct NewRelease: Sendable, Hashable {
    public var id: String
    public var startedBy: String
    public var machine: ReleaseMachine

    /// `id` defaults to `ReleaseID.make(service:now:)`; service, topology and version come from the machine's plan.
    public init(id: String? = nil, startedBy: String, machine: ReleaseMachine, now: Date) {
        self.id = id ?? ReleaseID.make(service: machine.plan.service, now: now)
        self.startedBy = startedBy
        self.machine = machine
    }
}

/// Which releases `listReleases` returns.
public struct ReleaseQuery: Sendable, Hashable {
    public var service: String?
    public var limit: Int

    public init(service: String? = nil, limit: Int = 50) {
        self.service = service
        self.limit = limit
    }
}
