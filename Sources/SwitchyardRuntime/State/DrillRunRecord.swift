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

    public var isFinished: Bool { finishedAt != nil }
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
