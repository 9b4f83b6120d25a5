import Foundation
import HTTPTypes
import Hummingbird
import SwitchyardCore

/// `POST /v1/chat/completions`: auth, rate limit, injected errors, then either the upstream or
/// the local model, streamed or whole.
struct ChatRoute: Sendable {
    let gateway: GatewayContext

    static func add(to router: Router<GatewayRequestContext>, gateway: GatewayContext) {
        let route = ChatRoute(gateway: gateway)
        router.post("/v1/chat/completions") { request, context in
            try await route.handle(request, clientAddress: context.clientAddress)
        }
    }

    func handle(_ request: Request, clientAddress: String) async throws -> Response {
        var request = request
        if let refusal = gateway.authorize(request) { return refusal }
        let key = gateway.configuration.apiKeys == nil ? nil : GatewayContext.bearerToken(request)
        if let limiter = gateway.limiter,
            case .limited(let retryAfter) = limiter.take(key: gateway.rateLimitKey(request, clientAddress: clientAddress))
        {
            let seconds = max(1, Int(retryAfter.rounded(.up)))
            let whose = key == nil ? "this client address" : "this API key"
            return Responses.error(
                .tooManyRequests, message: "Rate limit reached for \(whose); retry after \(seconds)s.",
                type: "rate_limit_error", code: "rate_limit_exceeded", headers: [.retryAfter: "\(seconds)"]
            )
        }
        if gateway.dice.shouldFail() {
            return Responses.error(.internalServerError, message: "injected fault: server error", type: "server_error", code: "fault_injected")
        }
        let body = try await request.collectBody(upTo: 4 << 20)
        if let forwarder = gateway.forwarder {
            return await forwarder.forward(method: .post, path: "/v1/chat/completions", body: body, headers: request.headers)
        }
        if let resumed = resume(request, key: key) {
            return resumed
        }
        let chat: ChatRequest
        do {
            chat = try ChatRequest.parse(Data(body.readableBytesView))
        } catch {
            return Responses.error(.badRequest, message: error.message, type: "invalid_request_error", code: error.code, param: error.param)
        }
        guard let tokenDelay = tokenDelay(request, chat) else {
            return Responses.error(
                .badRequest, message: "X-Yard-Token-Delay must be a duration such as 5ms, 2s or 1m.",
                type: "invalid_request_error", param: "X-Yard-Token-Delay"
            )
        }
        let plan = StreamPlan(
            streamID: EventID.newStreamID(), model: chat.model, created: Int(Date().timeIntervalSince1970),
            tokens: chat.maxTokens ?? gateway.configuration.tokens, tokenDelay: tokenDelay, seed: LocalModel.seed(for: chat.prompt),
            fingerprint: gateway.identity.fingerprint, n: chat.n, stop: chat.stop, includeUsage: chat.includeUsage,
            promptTokens: chat.promptTokens
        )
        if chat.stream {
            gateway.store.begin(plan, owner: key)
            return StreamResponder(gateway: gateway, plan: plan, startSequence: 0, replay: []).response()
        }
        return try await completion(plan)
    }

    /// A whole completion, after the time its tokens would have taken.
    private func completion(_ plan: StreamPlan) async throws -> Response {
        let start = ContinuousClock.now
        if let limit = gateway.completions {
            await limit.acquire()
            do {
                let response = try await answer(plan, start: start)
                await limit.release()
                return response
            } catch {
                await limit.release()
                throw error
            }
        }
        return try await answer(plan, start: start)
    }

    private func answer(_ plan: StreamPlan, start: ContinuousClock.Instant) async throws -> Response {
        if let latency = gateway.configuration.faults.firstTokenLatency {
            try await Task.sleep(for: latency.duration)
        }
        if plan.tokens > 0 {
            try await Task.sleep(for: plan.tokenDelay)
            gateway.metrics.recordTimeToFirstToken(ContinuousClock.now - start)
            try await Task.sleep(for: plan.tokenDelay * (plan.tokens - 1))
        }
        let completion = ChatCompletion(
            id: plan.completionID, created: plan.created, model: plan.model, systemFingerprint: plan.fingerprint,
            choices: plan.choices.indices.map {
                .init(index: $0, message: ChatMessage(role: "assistant", content: plan.answer(choice: $0)), finishReason: "stop")
            },
            usage: plan.usage
        )
        return Responses.json(completion)
    }

    /// A reconnect with `Last-Event-ID` naming a retained stream that this key started: the events
    /// after it, then the rest. Anything else (unknown, expired, another key's) starts afresh.
    private func resume(_ request: Request, key: String?) -> Response? {
        guard let header = request.headers[.lastEventID], let id = EventID(parsing: header),
            let entry = gateway.store.entry(streamID: id.streamID), id.sequence <= entry.plan.lastSequence,
            entry.owner == key
        else { return nil }
        let retained = entry.events.filter { $0.sequence > id.sequence }
        // Replay what is retained only if it follows on without a gap; the plan produces the rest.
        let contiguous = retained.first.map { $0.sequence == id.sequence + 1 } ?? false
        let replay = contiguous ? retained.map(\.frame) : []
        let next = contiguous ? (retained.last!.sequence + 1) : id.sequence + 1
        gateway.metrics.streamResumed()
        return StreamResponder(gateway: gateway, plan: entry.plan, startSequence: next, replay: replay, resumed: true).response()
    }

    /// The header wins over the body field, which wins over the instance's default.
    private func tokenDelay(_ request: Request, _ chat: ChatRequest) -> Duration? {
        if let header = request.headers[.yardTokenDelay] {
            return TimeSpan(parsing: header)?.duration
        }
        if let ms = chat.yardTokenDelayMilliseconds {
            return .milliseconds(ms)
        }
        return gateway.configuration.tokenDelay.duration
    }
}
