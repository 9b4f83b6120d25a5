import SwitchyardCore
import SwitchyardRuntime

/// A service as `GET /v1/services/{name}` shows it: what each zone routes to, the version in each slot, and
/// every instance with its health as probed now.
struct ServiceView: Codable, Sendable, Hashable {
    struct InstanceView: Codable, Sendable, Hashable {
        var name: String
        var zone: String
        var slot: String
        var address: String
        /// Whether its slot is the live one in its zone.
        var live: Bool
        /// `ready` (its readiness path answered 200), `not-ready` (probed, no 200 in time), or `not-running`
        /// (an idle slot with no process recorded: not probed).
        var health: String
        /// The process the state store records for it, when one was started.
        var pid: Int?
        var version: String?
    }

    var name: String
    var topology: String
    var liveVersion: String?
    /// The version each slot runs; a slot never deployed is absent.
    var versions: [String: String]
    var zones: [TopologyView.ZoneView]
    var instances: [InstanceView]
}
