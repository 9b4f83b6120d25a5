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

    /// Asks run `id` to stop, for `actor`, with `reason` for its report. Returns the run as stored with the request.
    @discardableResult
    public static func send(run id: String, reason: String, store: any StateStore, actor: String) async throws -> DrillRunRecord {
        try await AuditTrail(store: store).perform(actor: actor, action: "drill.abort", target: id, detail: reason) {
            guard let record = try await store.requestDrillAbort(id: id, reason: reason, now: Date()) else { throw Failure.unknownRun(id) }
            guard !record.isFinished else { throw Failure.over(id, status: record.status) }
            return record
        }
    }
}
