import Foundation
import SwitchyardCore

/// Every gate measurement a release takes, kept in its journal as a typed event: `{"gateSample": {...}}`, so the
/// measurements over time can be read back (the dashboard charts them) and no other event's payload reads as one.
/// The runner never reads these back to decide anything; the machine's gate trackers hold the verdicts.
public enum GateSampleJournal {
    public struct Sample: Codable, Sendable, Hashable {
        public var gate: String
        /// `pre-promotion` or `bake`.
        public var stage: String
        /// `pass`, `fail`, `inconclusive` or `error`.
        public var phase: String
        public var value: Double?
        public var message: String
        /// The gate's verdict after this measurement: `pending`, `passed` or `failed`.
        public var verdict: String

        public init(gate: String, stage: String, measurement: GateMeasurement, verdict: GateVerdict) {
            self.gate = gate
            self.stage = stage
            phase = measurement.phase.rawValue
            value = measurement.value
            message = measurement.message
            self.verdict = switch verdict {
            case .pending: "pending"
            case .passed: "passed"
            case .failed: "failed"
            }
        }
    }

    struct Payload: Codable { var gateSample: Sample }

    public static func draft(_ sample: Sample) throws(StateStoreError) -> JournalDraft {
        try .event(encoding: Payload(gateSample: sample), message: "\(sample.gate) (\(sample.stage)): \(sample.phase): \(sample.message)")
    }

    /// The sample an entry carries, if it is one.
    public static func read(_ entry: JournalEntry) -> Sample? {
        guard entry.kind == .event, let payload = entry.payload else { return nil }
        return (try? payload.decode(Payload.self))?.gateSample
    }
}
