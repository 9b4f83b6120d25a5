import Foundation

/// One line of the audit log: who did what to what, and how it went.
public struct AuditEntry: Sendable, Hashable {
    /// Assigned by the store, increasing.
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
    public var outcome: String
    public var detail: String?

    public init(id: Int64 = 0, at: Date, actor: String, action: String, target: String, outcome: String, detail: String? = nil) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
    }
}
