import Hummingbird

/// `/healthz`, `/readyz`, `/version` and `/metrics`.
enum OperatingRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, gateway: GatewayContext) {
        router.get("/healthz") { _, _ in
            Responses.json(["status": "alive"])
        }
        router.get("/readyz") { _, _ in
            if gateway.configuration.faults.neverReady {
                return Responses.json(["status": "not ready", "reason": "fault: never ready"], status: .serviceUnavailable)
            }
            if gateway.drain.isDraining {
                return Responses.json(["status": "not ready", "reason": "draining"], status: .serviceUnavailable)
            }
            return Responses.json(["status": "ready"])
        }
        router.get("/version") { _, _ in
            Responses.json(gateway.identity)
        }
        router.get("/metrics") { _, _ in
            Responses.text(gateway.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
