/// One manifest document, decoded.
public enum Manifest: Sendable, Hashable {
    case topology(Topology)
    case releasePlaybook(ReleasePlaybook)
    case drillPlaybook(DrillPlaybook)
    case capacityPlan(CapacityPlan)

    public static let apiVersion = "switchyard/v1"

    public enum Kind: String, Sendable, CaseIterable, Codable {
        case topology = "Topology"
        case releasePlaybook = "ReleasePlaybook"
        case drillPlaybook = "DrillPlaybook"
        case capacityPlan = "CapacityPlan"
    }

    public var kind: Kind {
        switch self {
        case .topology: .topology
        case .releasePlaybook: .releasePlaybook
        case .drillPlaybook: .drillPlaybook
        case .capacityPlan: .capacityPlan
        }
    }

    public var name: String {
        switch self {
        case .topology(let value): value.name
        case .releasePlaybook(let value): value.name
        case .drillPlaybook(let value): value.name
        case .capacityPlan(let value): value.name
        }
    }
}

/// A name one manifest uses for something another manifest defines, with where it was written,
/// so that a manifest set can check it and point at it.
public struct ManifestReference: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case topology
        case service(topology: String)
        case zone(topology: String)
        case loadBalancer(topology: String)
        case loadBalancerNode(topology: String, loadBalancer: String)
        case datastore(topology: String)
    }

    public var target: Target
    public var name: String
    public var location: SourceLocation
    public var path: String
}

/// A decoded document with where it came from and what it refers to.
public struct LoadedManifest: Sendable, Hashable {
    public var manifest: Manifest
    public var location: SourceLocation
    public var references: [ManifestReference]

    public var file: String { location.file }
}
