import Hummingbird

/// Times every request and records it by route pattern, method and status. Outermost, so it sees the status
/// the client gets (errors already turned into responses, 401s included).
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            record(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        // Unknown routes share one label value so that scanners cannot grow the series without bound
        // (Hummingbird's not-found responder names its path "NotFound").
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.recordRequest(route: route, method: request.method.rawValue, status: status,
                              duration: ContinuousClock.now - start)
    }
}
