import Foundation
import SwitchyardCore

/// One line of a release's journal. The journal is append-only: completing an action appends a `done` or
/// `failed` entry whose `completes` names the `started` entry, so both times stay on record.
public struct JournalEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case action, event, note }
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable { case started, done, failed }

    public var release: String
    /// 1, 2, 3… per release, in the order written.
    public var sequence: Int
    public var at: Date
    public var kind: Kind
    public var status: Status
    /// The action or event as JSON (absent for notes).
    public var payload: JSONText?
    public var message: String
    /// For a `done`/`failed` action entry: the sequence of the `started` entry it completes.
    public var completes: Int?

    /// The payload decoded as a release machine action, for `action` entries.
    public func action() throws(StateStoreError) -> ReleaseMachine.Action? {
        guard kind == .action, let payload else { return nil }
        return try payload.decode(ReleaseMachine.Action.self)
    }
}

/// An entry to append; the store assigns the release, sequence and time.
public struct JournalDraft: Sendable, Hashable {
    public var kind: JournalEntry.Kind
    public var status: JournalEntry.Status
    public var payload: JSONText?
    public var message: String
    /// Set by `completion(of:)`: the `started` entry this `done`/`failed` entry completes.
    public var completes: Int?

    public init(kind: JournalEntry.Kind, status: JournalEntry.Status, payload: JSONText?, message: String) {
        self.kind = kind
        self.status = status
        self.payload = payload
        self.message = message
    }

    /// Written before the runner performs `action`.
    public static func actionStarted(_ action: ReleaseMachine.Action, message: String) throws(StateStoreError) -> JournalDraft {
        JournalDraft(kind: .action, status: .started, payload: try JSONText(encoding: action), message: message)
    }

    /// An event fed to the machine (a gate verdict, `deployed`, `routed`, `restarted`…), with its data if any.
    public static func event(_ payload: JSONText? = nil, message: String) -> JournalDraft {
        JournalDraft(kind: .event, status: .done, payload: payload, message: message)
    }

    public static func event<T: Encodable>(encoding value: T, message: String) throws(StateStoreError) -> JournalDraft {
        JournalDraft(kind: .event, status: .done, payload: try JSONText(encoding: value), message: message)
    }

    public static func note(_ message: String) -> JournalDraft {
        JournalDraft(kind: .note, status: .done, payload: nil, message: message)
    }
}

extension JournalDraft {
    /// Completes the action started in entry `sequence`: `done`, or `failed` with why in `message`.
    /// The completion carries the started entry's payload.
    public static func completion(of sequence: Int, failed: Bool = false, message: String) -> JournalDraft {
        var draft = JournalDraft(kind: .action, status: failed ? .failed : .done, payload: nil, message: message)
        draft.completes = sequence
        return draft
    }
}
