import Hummingbird
import SwitchyardRuntime

/// `GET /v1/topologies`: the loaded topologies with what each service's zones route now.
enum TopologyRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, catalog: LiveCatalog, store: any StateStore) {
        router.get("/v1/topologies") { _, _ in
            let catalog = catalog.current
            var routing: [String: ServiceRouting] = [:]
            for name in Set(catalog.set.topologies.flatMap { $0.services.map(\.name) }) {
                do { routing[name] = try await store.routing(service: name) } catch { throw APIError.store(error) }
            }
            let views = catalog.set.topologies.map { TopologyView($0, routing: routing, playbooks: catalog.set.releasePlaybooks) }
            return JSONResponse.make(["topologies": views])
        }
    }
}
