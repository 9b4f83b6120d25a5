import Foundation
import HTTPTypes
import Hummingbird
import SwitchyardCore

/// `POST /v1/chat/completions`: auth, rate limit, injected errors, then either the upstream or
/// the local model, streamed or whole.
struct ChatRoute: Sendable {
    let gateway: GatewayContext

    static func add<Context: RequestContext>(to router: Router<Context>, gateway: GatewayContext) {
        let route = ChatRoute(gateway: gateway)
        router.post("/v1/chat/completions") { request, _ in
            try await route.handle(request)
        }
    }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        let key = bearerToken(request)
        if let keys = gateway.configuration.apiKeys {
            guard let key else {
                return Responses.error(
                    .unauthorized, message: "Missing API key: send it as 'Authorization: Bearer KEY'.",
                    type: "invalid_request_error", code: "missing_api_key"
                )
            }
            guard keys.contains(key) else {
                return Responses.error(
                    .unauthorized, message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key"
                )
            }
        }
        if let limiter = gateway.limiter, case .limited(let retryAfter) = limiter.take(key: key ?? "anonymous") {
            let seconds = max(1, Int(retryAfter.rounded(.up)))
            return Responses.error(
                .tooManyRequests, message: "Rate limit reached for this API key; retry after \(seconds)s.",
                type: "rate_limit_error", code: "rate_limit_exceeded", headers: [.retryAfter: "\(seconds)"]
            )
        }
        if gateway.dice.shouldFail() {
            return Responses.error(.internalServerError, message: "injected fault: server error", type: "server_error", code: "fault_injected")
        }
        let body = try await request.collectBody(upTo: 4 << 20)
        if let forwarder = gateway.forwarder {
            return await forwarder.forward(body: body, headers: request.headers)
        }
        if let resumed = resume(request) {
            return resumed
        }
        let chat: ChatCompletionRequest
        do {
            chat = try JSONCoding.decode(ChatCompletionRequest.self, from: Data(body.readableBytesView))
        } catch {
            return Responses.error(
                .badRequest, message: "The body is not a chat completion request: \(error)", type: "invalid_request_error"
            )
        }
        guard let tokenDelay = tokenDelay(request, chat) else {
            return Responses.error(
                .badRequest, message: "X-Yard-Token-Delay must be a duration such as 5ms, 2s or 1m.",
                type: "invalid_request_error", param: "X-Yard-Token-Delay"
            )
        }
        let tokens = min(max(chat.maxTokens ?? gateway.configuration.tokens, 0), 1_000_000)
        let prompt = chat.messages.last?.content ?? ""
        let plan = StreamPlan(
            streamID: EventID.newStreamID(), model: chat.model, created: Int(Date().timeIntervalSince1970),
            tokens: tokens, tokenDelay: tokenDelay, seed: LocalModel.seed(for: prompt), fingerprint: gateway.identity.fingerprint
        )
        if chat.stream == true {
            gateway.store.begin(plan)
            return StreamResponder(gateway: gateway, plan: plan, startSequence: 0, replay: []).response()
        }
        return try await completion(plan, promptTokens: prompt.split(separator: " ").count)
    }

    /// A whole completion, after the time its tokens would have taken.
    private func completion(_ plan: StreamPlan, promptTokens: Int) async throws -> Response {
        let start = ContinuousClock.now
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
            choices: [.init(message: ChatMessage(role: "assistant", content: LocalModel.answer(seed: plan.seed, tokens: plan.tokens)), finishReason: "stop")],
            usage: .init(promptTokens: promptTokens, completionTokens: plan.tokens)
        )
        return Responses.json(completion)
    }

    /// A reconnect with `Last-Event-ID` naming a retained stream: the events after it, then the rest.
    private func resume(_ request: Request) -> Response? {
        guard let header = request.headers[.lastEventID], let id = EventID(parsing: header),
            let entry = gateway.store.entry(streamID: id.streamID), id.sequence <= entry.plan.lastSequence
        else { return nil }
        let retained = entry.events.filter { $0.sequence > id.sequence }
        // Replay what is retained only if it follows on without a gap; the plan produces the rest.
        let contiguous = retained.first.map { $0.sequence == id.sequence + 1 } ?? false
        let replay = contiguous ? retained.map(\.frame) : []
        let next = contiguous ? (retained.last!.sequence + 1) : id.sequence + 1
        gateway.metrics.streamResumed()
        return StreamResponder(gateway: gateway, plan: entry.plan, startSequence: next, replay: replay, resumed: true).response()
    }

    private func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix) else { return nil }
        let token = value.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The header wins over the body field, which wins over the instance's default.
    private func tokenDelay(_ request: Request, _ chat: ChatCompletionRequest) -> Duration? {
        if let header = request.headers[.yardTokenDelay] {
            return TimeSpan(parsing: header)?.duration
        }
        if let ms = chat.yardTokenDelayMilliseconds {
            return .milliseconds(max(ms, 0))
        }
        return gateway.configuration.tokenDelay.duration
    }
}
