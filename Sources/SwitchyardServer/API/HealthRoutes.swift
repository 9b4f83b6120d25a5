import Hummingbird

/// `/healthz`: the process answers. `/readyz`: unfinished releases were taken over and mutations are served.
enum HealthRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, releases: ReleaseService) {
        router.get("/healthz") { _, _ in
            JSONResponse.make(["status": "alive"])
        }
        router.get("/readyz") { _, _ in
            await releases.isReady
                ? JSONResponse.make(["status": "ready"])
                : JSONResponse.make(["status": "not ready", "reason": "resuming unfinished releases"], status: .serviceUnavailable)
        }
    }
}
