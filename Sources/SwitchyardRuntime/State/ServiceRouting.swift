import Foundation
import SwitchyardCore

/// What the load balancer routes for one service, and which version each slot runs, as last committed.
public struct ServiceRouting: Sendable, Hashable {
    public var service: String
    /// The live slot per zone.
    public var live: Routing
    /// The version each slot runs (a slot never deployed is absent).
    public var versions: [Slot: String]
    public var updatedAt: Date

    public init(service: String, live: Routing, versions: [Slot: String], updatedAt: Date) {
        self.service = service
        self.live = live
        self.versions = versions
        self.updatedAt = updatedAt
    }

    /// The version serving traffic, when every zone routes to slots running the same version; what
    /// `ReleasePlan.make(liveVersion:)` wants.
    public var liveVersion: String? {
        let serving = Set(live.values.map { versions[$0] })
        guard serving.count == 1, let only = serving.first else { return nil }
        return only
    }
}

/// A load balancer Switchyard started, by name: its nginx master process.
public struct LoadBalancerRecord: Sendable, Hashable {
    public var name: String
    public var masterPID: Int32
    public var updatedAt: Date

    public init(name: String, masterPID: Int32, updatedAt: Date) {
        self.name = name
        self.masterPID = masterPID
        self.updatedAt = updatedAt
    }
}

/// A routing change to commit: each zone in `live` to its slot, each slot in `versions` to its version.
public struct RoutingCommit: Sendable, Hashable {
    public var service: String
    public var live: Routing
    public var versions: [Slot: String]

    public init(service: String, live: Routing, versions: [Slot: String]) {
        self.service = service
        self.live = live
        self.versions = versions
    }
}
