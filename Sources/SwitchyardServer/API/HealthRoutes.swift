import Hummingbird

/// `/healthz`: the process answers. `/readyz`: the daemon has settled its role among the daemons sharing the store
/// (as leader it took over unfinished releases; as a standby it serves reads and names the leader), with `role` and
/// `leader` in the body. `/readyz?role=leader` answers 503 unless this daemon leads: a health check for a proxy that
/// sends the API's traffic to the leader only.
enum HealthRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, releases: ReleaseService, leadership: Leadership) {
        router.get("/healthz") { _, _ in
            JSONResponse.make(["status": "alive"])
        }
        router.get("/readyz") { request, _ in
            var body = ["role": leadership.roleName]
            if let url = leadership.leader?.url { body["leader"] = url }
            if let generation = leadership.fence?.generation { body["generation"] = String(generation) }
            guard await releases.isReady else {
                body["status"] = "not ready"
                body["reason"] = "electing a leader and resuming unfinished releases"
                return JSONResponse.make(body, status: .serviceUnavailable)
            }
            if request.uri.queryParameters["role"] == "leader", !leadership.isLeader {
                body["status"] = "not leader"
                return JSONResponse.make(body, status: .serviceUnavailable)
            }
            body["status"] = "ready"
            return JSONResponse.make(body)
        }
    }
}
