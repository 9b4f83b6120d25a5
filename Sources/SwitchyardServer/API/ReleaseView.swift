import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// A release as the API shows it, and as `yard release status|history|list --json` print it, locally and through
/// `--server` (the contract: `Release` in docs/openapi.yaml).
public struct ReleaseView: Codable, Sendable, Hashable {
    public struct GateView: Codable, Sendable, Hashable {
        public var name: String
        public var verdict: String
        public var passes: Int
        public var failures: Int
        public var errors: Int
        /// The last measurement, `pass: error rate 0.2 % < 5 %`.
        public var last: String?
    }

    /// What the load balancer routes for the release's service now: the live slot per zone, the version per slot.
    public struct RoutingView: Codable, Sendable, Hashable {
        public var live: [String: String]
        public var versions: [String: String]
        public var updatedAt: Date

        public init(_ routing: ServiceRouting) {
            live = routing.live.mapValues(\.rawValue)
            versions = Dictionary(uniqueKeysWithValues: routing.versions.map { ($0.key.rawValue, $0.value) })
            updatedAt = routing.updatedAt
        }

        /// `zone-a=green,zone-b=green`, as the live view writes a routing.
        public var label: String { live.keys.sorted().map { "\($0)=\(live[$0]!)" }.joined(separator: ",") }
    }

    public var id: String
    public var service: String
    public var topology: String
    public var version: String
    public var previousVersion: String?
    public var phase: String
    public var outcome: String?
    public var reason: String?
    public var startedBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var finishedAt: Date?
    public var gates: [GateView]
    /// Only for one release (`GET /v1/releases/{id}`, `yard release status`); absent in lists.
    public var routing: RoutingView?

    /// `routing`: the service's routing now, for a view of one release.
    public init(_ record: ReleaseRecord, routing: ServiceRouting? = nil) {
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
            GateView(name: name, verdict: Self.verdict(tracker.verdict), passes: tracker.passes, failures: tracker.failures, errors: tracker.errors,
                     last: tracker.last?.description)
        }
        self.routing = routing.map(RoutingView.init)
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
public struct JournalEntryView: Codable, Sendable, Hashable {
    public var sequence: Int
    public var at: Date
    public var kind: String
    public var status: String
    public var message: String
    public var completes: Int?

    public init(_ entry: JournalEntry) {
        sequence = entry.sequence
        at = entry.at
        kind = entry.kind.rawValue
        status = entry.status.rawValue
        message = entry.message
        completes = entry.completes
    }
}

/// `GET /v1/releases/{id}/journal`.
public struct JournalView: Codable, Sendable {
    public var id: String
    public var entries: [JournalEntryView]
}

/// The body of `POST /v1/releases`.
public struct StartReleaseRequest: Codable, Sendable {
    public var service: String
    public var version: String
    public var manual: Bool?
    public var topology: String?

    public init(service: String, version: String, manual: Bool? = nil, topology: String? = nil) {
        self.service = service
        self.version = version
        self.manual = manual
        self.topology = topology
    }
}

/// The body of `POST /v1/releases/{id}/abort`; optional.
public struct AbortRequest: Codable, Sendable {
    public var reason: String?
    public init(reason: String?) { self.reason = reason }
}

/// What an accepted mutation answers.
public struct AcceptedView: Codable, Sendable {
    public var id: String
    public var status: String
}
