/// Every manifest of a run, checked together: names unique per kind, and every name that one
/// manifest uses for another's topology, service, zone, load balancer or datastore defined.
public struct ManifestSet: Sendable {
    public private(set) var manifests: [LoadedManifest]

    public init(_ manifests: [LoadedManifest]) { self.manifests = manifests }

    public var topologies: [Topology] { manifests.compactMap { if case .topology(let value) = $0.manifest { value } else { nil } } }
    public var releasePlaybooks: [ReleasePlaybook] { manifests.compactMap { if case .releasePlaybook(let value) = $0.manifest { value } else { nil } } }
    public var drillPlaybooks: [DrillPlaybook] { manifests.compactMap { if case .drillPlaybook(let value) = $0.manifest { value } else { nil } } }
    public var capacityPlans: [CapacityPlan] { manifests.compactMap { if case .capacityPlan(let value) = $0.manifest { value } else { nil } } }

    public func topology(named name: String) -> Topology? { topologies.first { $0.name == name } }
    public func releasePlaybook(named name: String) -> ReleasePlaybook? { releasePlaybooks.first { $0.name == name } }
    public func drillPlaybook(named name: String) -> DrillPlaybook? { drillPlaybooks.first { $0.name == name } }
    public func capacityPlan(named name: String) -> CapacityPlan? { capacityPlans.first { $0.name == name } }

    /// The release playbook for a service: the one named, or the only one for that service.
    public func releasePlaybook(forService service: String) -> ReleasePlaybook? {
        let matching = releasePlaybooks.filter { $0.service == service }
        return matching.count == 1 ? matching[0] : nil
    }

    /// Problems that only show across manifests. `reportingFiles` limits the report to those files
    /// (the others are context: a playbook checked alone still resolves its topology).
    /// `orphanReferences` are the names used by manifests that failed to decode, checked all the same.
    public func crossReferenceDiagnostics(reportingFiles: Set<String>? = nil, orphanReferences: [ManifestReference] = []) -> [ManifestDiagnostic] {
        var diagnostics: [ManifestDiagnostic] = []
        func report(_ location: SourceLocation, _ path: String, _ message: String) {
            if reportingFiles == nil || reportingFiles!.contains(location.file) {
                diagnostics.append(ManifestDiagnostic(location: location, path: path, message: message))
            }
        }
        var firstByName: [String: LoadedManifest] = [:]
        for loaded in manifests {
            let key = "\(loaded.manifest.kind.rawValue)/\(loaded.manifest.name)"
            if let first = firstByName[key] {
                report(loaded.location, "name", "\(loaded.manifest.kind.rawValue) \"\(loaded.manifest.name)\" is already defined at \(first.location)")
            } else {
                firstByName[key] = loaded
            }
        }
        let topologyNames = topologies.map(\.name)
        for loaded in manifests {
            for reference in loaded.references {
                if let problem = resolve(reference, topologyNames: topologyNames) { report(reference.location, reference.path, problem) }
            }
            diagnostics += semanticDiagnostics(loaded).filter { reportingFiles == nil || reportingFiles!.contains($0.location.file) }
        }
        for reference in orphanReferences {
            if let problem = resolve(reference, topologyNames: topologyNames) { report(reference.location, reference.path, problem) }
        }
        return diagnostics
    }

    private func resolve(_ reference: ManifestReference, topologyNames: [String]) -> String? {
        func inTopology(_ name: String, _ body: (Topology) -> String?) -> String? {
            guard let topology = topology(named: name) else { return nil }  // the topology reference itself reports it
            return body(topology)
        }
        let name = reference.name
        switch reference.target {
        case .topology:
            return topologyNames.contains(name) ? nil : unknownName(name, "topology", topologyNames)
        case .service(let topologyName):
            return inTopology(topologyName) { $0.service(named: name) == nil ? unknownName(name, "service", $0.services.map(\.name)) + " in topology \(topologyName)" : nil }
        case .zone(let topologyName):
            return inTopology(topologyName) { topology in
                topology.zones.contains { $0.name == name } ? nil : unknownName(name, "zone", topology.zones.map(\.name)) + " in topology \(topologyName)"
            }
        case .loadBalancer(let topologyName):
            return inTopology(topologyName) { $0.loadBalancer(named: name) == nil ? unknownName(name, "load balancer", $0.loadBalancers.map(\.name)) : nil }
        case .loadBalancerNode(let topologyName, let balancerName):
            return inTopology(topologyName) { topology in
                guard let balancer = topology.loadBalancer(named: balancerName) else { return nil }
                return balancer.nodes.contains { $0.name == name } ? nil : unknownName(name, "node of load balancer \(balancerName)", balancer.nodes.map(\.name))
            }
        case .datastore(let topologyName):
            return inTopology(topologyName) { $0.datastores.contains { $0.name == name } ? nil : unknownName(name, "datastore", $0.datastores.map(\.name)) }
        }
    }

    /// Checks that need the referenced manifest's content, beyond its existence.
    private func semanticDiagnostics(_ loaded: LoadedManifest) -> [ManifestDiagnostic] {
        var result: [ManifestDiagnostic] = []
        func at(_ path: String, _ message: String) {
            let location = loaded.references.first { $0.path == path }?.location ?? loaded.location
            result.append(ManifestDiagnostic(location: location, path: path, message: message))
        }
        switch loaded.manifest {
        case .releasePlaybook(let playbook):
            guard let topology = topology(named: playbook.topology), let service = topology.service(named: playbook.service) else { break }
            if service.loadBalancer == nil {
                at("service", "service \(service.name) has no loadBalancer in topology \(topology.name); a blue-green release switches a load balancer")
            }
            for reference in loaded.references where reference.path.hasPrefix("waves") {
                if case .zone = reference.target, topology.zones.contains(where: { $0.name == reference.name }), !service.zones.contains(reference.name) {
                    result.append(ManifestDiagnostic(location: reference.location, path: reference.path,
                                                     message: "service \(service.name) does not run in zone \"\(reference.name)\" (it runs in \(service.zones.joined(separator: ", ")))"))
                }
            }
            let waveZones = Set(playbook.waves.flatMap { $0 })
            if !playbook.waves.isEmpty, waveZones != Set(service.zones) {
                let missing = service.zones.filter { !waveZones.contains($0) }
                if !missing.isEmpty {
                    result.append(ManifestDiagnostic(location: loaded.references.first { $0.path.hasPrefix("waves") }?.location ?? loaded.location,
                                                     path: "waves", message: "waves leave out zone \(missing.joined(separator: ", ")) of service \(service.name); every zone must be in one wave"))
                }
            }
        case .drillPlaybook(let playbook):
            guard let topology = topology(named: playbook.topology) else { break }
            if case .instanceKill(let serviceName, let zone, let count) = playbook.fault, let service = topology.service(named: serviceName) {
                if let zone, !service.zones.contains(zone), topology.zones.contains(where: { $0.name == zone }) {
                    at("fault.zone", "service \(serviceName) does not run in zone \"\(zone)\"")
                }
                let available = service.replicasPerZone * (zone == nil ? service.zones.count : 1)
                if count > available { at("fault.service", "fault.count \(count) is more than the \(available) live instances of \(serviceName)\(zone.map { " in \($0)" } ?? "")") }
            }
            if case .lbNodeKill(let balancerName, _) = playbook.fault, let balancer = topology.loadBalancer(named: balancerName), balancer.nodes.count < 2 {
                at("fault.loadBalancer", "load balancer \(balancerName) has \(balancer.nodes.count) node(s); killing one only makes sense for a pair (nodes: with two or more)")
            }
            if case .dbPrimaryLoss(let storeName, _, _) = playbook.fault, let store = topology.datastores.first(where: { $0.name == storeName }), store.members.isEmpty {
                at("fault.datastore", "datastore \(storeName) of topology \(topology.name) lists no members: a primary loss needs the servers (members, clients) to act on")
            }
        case .capacityPlan(let plan):
            guard let topology = topology(named: plan.topology), let service = topology.service(named: plan.service) else { break }
            if plan.surviveZoneLoss, service.zones.count < 2 {
                at("service", "surviveZoneLoss needs a service in two zones or more; \(service.name) runs in \(service.zones.count)")
            }
        case .topology:
            break
        }
        return result
    }
}
