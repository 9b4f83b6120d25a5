import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A release as the API shows it.
struct ReleaseView: Codable, Sendable, Hashable {
    struct GateView: Codable, Sendable, Hashable {
        var name: String
        var verdict: String
        var passes: Int
        var failures: Int
        var errors: Int
    }

    var id: String
    var service: String
    var topology: String
    var version: String
    var previousVersion: String?
    var phase: String
    var outcome: String?
    var reason: String?
    var startedBy: String
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?
    var gates: [GateView]

    init(_ record: ReleaseRecord) {
        id = record.id
        service = record.service
        topology = record.topology
        version = record.version
        previousVersion = record.machine.plan.previousVersion
        phase = record.phase.rawValue
        outcome = record.outcome?.rawValue
        reason = record.reason
        startedBy = record.startedBy
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        finishedAt = record.finishedAt
        gates = record.machine.gates.sorted { $0.key < $1.key }.map { name, tracker in
            GateView(name: name, verdict: Self.verdict(tracker.verdict), passes: tracker.passes, failures: tracker.failures, errors: tracker.errors)
        }
    }

    static func verdict(_ verdict: GateVerdict) -> String {
        switch verdict {
        case .pending: "pending"
        case .passed: "passed"
        case .failed(let reason): "failed: \(reason)"
        }
    }
}

/// One journal line of a release.
struct JournalEntryView: Codable, Sendable, Hashable {
    var sequence: Int
    var at: Date
    var kind: String
    var status: String
    var message: String
    var completes: Int?

    init(_ entry: JournalEntry) {
        sequence = entry.sequence
        at = entry.at
        kind = entry.kind.rawValue
        status = entry.status.rawValue
        message = entry.message
        completes = entry.completes
    }
}

/// `GET /v1/releases/{id}/journal`.
struct JournalView: Codable, Sendable {
    var id: String
    var entries: [JournalEntryView]
}

/// The body of `POST /v1/releases`.
struct StartReleaseRequest: Codable, Sendable {
    var service: String
    var version: String
    var manual: Bool?
    var topology: String?
}

/// The body of `POST /v1/releases/{id}/abort`; optional.
struct AbortRequest: Codable, Sendable {
    var reason: String?
}

/// What an accepted mutation answers.
struct AcceptedView: Codable, Sendable {
    var id: String
    var status: String
}
