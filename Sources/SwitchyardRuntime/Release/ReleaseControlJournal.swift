import Foundation
import SwitchyardCore

/// How a person's request reaches the runner driving a release, in this process or another: a journal
/// event whose payload is the `ReleaseControl` value. The message is for people; the runner reads the
/// payload only. One sender for the CLI and the API.
public enum ReleaseControlJournal {
    /// The payload's shape: `{"control": {...}}`, so no other event's payload reads as one.
    struct Payload: Codable { var control: ReleaseControl }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownRelease(String)
        case over(String, state: String)

        public var description: String {
            switch self {
            case .unknownRelease(let id): "no release \(id)"
            case .over(let id, let state): "release \(id) is already over (\(state))"
            }
        }
    }

    public static func draft(_ control: ReleaseControl) throws(StateStoreError) -> JournalDraft {
        try .event(encoding: Payload(control: control), message: "control: \(control)")
    }

    /// The request an entry carries, if it is one.
    public static func read(_ entry: JournalEntry) -> ReleaseControl? {
        guard entry.kind == .event, let payload = entry.payload else { return nil }
        return (try? payload.decode(Payload.self))?.control
    }

    /// Journals `control` for release `id`, which must exist and not be over, for `actor`: audited as
    /// `release.promote` or `release.abort` (the reason as its detail) from here, whichever entry point asked.
    /// Returns the record it checked.
    @discardableResult
    public static func send(_ control: ReleaseControl, release id: String, store: any StateStore, actor: String) async throws -> ReleaseRecord {
        let (action, detail): (String, String?) = switch control {
        case .promote: ("release.promote", nil)
        case .abort(let reason): ("release.abort", reason)
        }
        return try await AuditTrail(store: store).perform(actor: actor, action: action, target: id, detail: detail) {
            guard let record = try await store.release(id: id) else { throw Failure.unknownRelease(id) }
            guard !record.isFinished else { throw Failure.over(id, state: record.outcome?.rawValue ?? record.phase.rawValue) }
            _ = try await store.appendJournal(release: id, [try draft(control)], now: Date())
            return record
        }
    }
}
