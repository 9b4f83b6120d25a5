import Hummingbird
import SwitchyardCore
import SwitchyardRuntime

/// `GET /v1/topologies`: the loaded topologies with what each service's zones route now; `GET /v1/topologies/{name}`: one.
enum TopologyRoutes {
    static func add(to routes: GuardedRoutes, catalog: LiveCatalog, store: any StateStore) {
        routes.viewer.get("/v1/topologies") { _, _ in
            let catalog = catalog.current
            let views = try await views(of: catalog.set.topologies, catalog: catalog, store: store)
            return JSONResponse.make(["topologies": views])
        }
        routes.viewer.get("/v1/topologies/:name") { _, context in
            let catalog = catalog.current
            let name = try context.parameters.require("name")
            guard let topology = catalog.set.topology(named: name) else { throw APIError.notFound("topology", name) }
            return JSONResponse.make(try await views(of: [topology], catalog: catalog, store: store)[0])
        }
    }

    static func views(of topologies: [Topology], catalog: ManifestCatalog, store: any StateStore) async throws -> [TopologyView] {
        var routing: [String: ServiceRouting] = [:]
        for name in Set(topologies.flatMap { $0.services.map(\.name) }) {
            do { routing[name] = try await store.routing(service: name) } catch { throw APIError.store(error) }
        }
        return topologies.map { TopologyView($0, routing: routing, playbooks: catalog.set.releasePlaybooks) }
    }
}
