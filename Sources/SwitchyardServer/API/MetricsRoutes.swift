import Hummingbird

/// `GET /metrics`: the daemon's metrics in the Prometheus text format. Open, like `/healthz`.
enum MetricsRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, metrics: DaemonMetrics) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }
}
