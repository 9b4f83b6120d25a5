import Foundation

/// How a person's abort reaches the runner driving a drill run, in this process or another: the request is stored with
/// the run (`StateStore.requestDrillAbort`), the runner reads it within `DrillRunner.abortPollEvery`, restores its fault
/// at once and ends the run `aborted`. One sender for the CLI and the API, audited as `drill.abort` from here.
public enum DrillAbort {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownRun(String)
        case over(String, status: String)

        public var description: String {
            switch self {
            case .unknownRun(let id): "no drill run \(id)"
            case .over(let id, let status): "drill run \(id) is already over (\(status))"
            }
        }
    }

    /// What an abort found.
    public struct Sent: Sendable {
        /// The run as stored with the request.
        public var record: DrillRunRecord
        /// False when no runner drives the run any more (its process died and its lock is free or expired): nobody
        /// will read the request, so the caller runs `DrillRecovery` to restore what the run left broken.
        public var driven: Bool
    }

    /// Asks run `id` to stop, for `actor`, with `reason` for its report.
    @discardableResult
    public static func send(run id: String, reason: String, store: any StateStore, actor: String) async throws -> Sent {
        try await AuditTrail(store: store).perform(actor: actor, action: "drill.abort", target: id, detail: reason) {
            guard let record = try await store.requestDrillAbort(id: id, reason: reason, now: Date()) else { throw Failure.unknownRun(id) }
            guard !record.isFinished else { throw Failure.over(id, status: record.status) }
            return Sent(record: record, driven: try await DrillRecovery.isDriven(record, store: store))
        }
    }
}
