import Hummingbird
import SwitchyardRuntime

/// `GET /v1/services/{name}?topology=`: one service's live state: the live slot and version per zone, the
/// version per slot, and each instance's health, probed now (concurrently, 500 ms each).
enum ServiceRoutes {
    static func add(to routes: GuardedRoutes, catalog: LiveCatalog, store: any StateStore) {
        let health = InstanceHealth()
        routes.viewer.get("/v1/services/:name") { request, context in
            let name = try context.parameters.require("name")
            let wanted = request.uri.queryParameters.get("topology")
            let matches = catalog.current.set.topologies.filter { ($0.service(named: name) != nil) && (wanted == nil || $0.name == wanted) }
            guard let topology = matches.first, let service = topology.service(named: name) else {
                throw APIError(.notFound, code: "not-found",
                               message: "no service \(name)\(wanted.map { " in topology \($0)" } ?? ""); GET /v1/topologies lists them",
                               details: ["service": name])
            }
            guard matches.count == 1 else {
                throw APIError(.badRequest, code: "ambiguous-service",
                               message: "several topologies have a service \(name) (\(matches.map(\.name).joined(separator: ", "))); add ?topology=",
                               details: ["service": name])
            }
            let routing: ServiceRouting?
            let recorded: [InstanceRecord]
            do {
                routing = try await store.routing(service: name)
                recorded = try await store.liveInstances(service: name)
            } catch { throw APIError.store(error) }
            return JSONResponse.make(await health.view(of: service, in: topology, routing: routing, recorded: recorded))
        }
    }
}
