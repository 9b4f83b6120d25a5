import Hummingbird

/// Around every request: 503 with `Connection: close` while draining (except the operating
/// endpoints), the identity headers on every response, `Connection: close` on every response of a
/// draining instance (so nginx does not reuse the connection), and the request metrics.
struct GatewayMiddleware<Context: RequestContext>: RouterMiddleware {
    let gateway: GatewayContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = Route(path: request.uri.path)
        var response: Response
        if gateway.drain.isDraining, !route.answersWhileDraining {
            response = Responses.error(
                .serviceUnavailable, message: "instance \(gateway.identity.instance) is draining; retry on another instance",
                type: "unavailable", code: "draining"
            )
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = Responses.error(error.status, message: error.body ?? error.status.reasonPhrase, type: "invalid_request_error")
            } catch {
                response = Responses.error(.internalServerError, message: "internal error: \(error)", type: "server_error")
            }
        }
        let identity = gateway.identity
        response.headers[.yardVersion] = identity.version
        response.headers[.yardSlot] = identity.slot
        response.headers[.yardZone] = identity.zone
        response.headers[.yardInstance] = identity.instance
        if gateway.drain.isDraining {
            response.headers[.connection] = "close"
        }
        gateway.metrics.recordRequest(route: route.rawValue, status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
