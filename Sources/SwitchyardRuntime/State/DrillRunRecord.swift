import Foundation

/// One run of a drill playbook. `status` is the drill runner's word (e.g. `running`, `restoring`, `passed`,
/// `failed`, `aborted`); the store does not interpret it beyond `finishedAt`.
public struct DrillRunRecord: Sendable, Hashable {
    public var id: String
    public var playbook: String
    public var status: String
    public var startedAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    public var report: JSONText?
    /// Set once someone asked the run to stop early (`yard drill abort`, `POST /v1/drills/runs/{id}/abort`); the runner
    /// driving it reads it, restores its fault and ends the run aborted.
    public var abortRequest: DrillAbortRequest?

    public var isFinished: Bool { finishedAt != nil }

    public init(id: String, playbook: String, status: String, startedAt: Date, updatedAt: Date, finishedAt: Date?, report: JSONText?,
                abortRequest: DrillAbortRequest? = nil) {
        self.id = id
        self.playbook = playbook
        self.status = status
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.report = report
        self.abortRequest = abortRequest
    }
}

/// A person's request that a drill run stop early, as stored with the run.
public struct DrillAbortRequest: Sendable, Hashable {
    public var at: Date
    public var reason: String

    public init(at: Date, reason: String) {
        self.at = at
        self.reason = reason
    }
}

/// An undo step journaled before the fault it undoes is injected; done once performed.
public struct RestoreAction: Sendable, Hashable {
    public var run: String
    /// 1, 2, 3… per run, in the order journaled; restore in reverse.
    public var sequence: Int
    public var action: JSONText
    public var createdAt: Date
    public var doneAt: Date?

    public var isDone: Bool { doneAt != nil }
}
