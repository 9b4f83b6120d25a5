import Foundation
import Hummingbird

/// `GET /v1/models` and `GET /v1/models/{id}`: the models this instance serves, in OpenAI's shape.
/// Auth applies as on chat. In upstream mode both are forwarded to the upstream.
struct ModelsRoute: Sendable {
    let gateway: GatewayContext

    struct Model: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy: String

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    struct ModelList: Encodable {
        var object = "list"
        var data: [Model]
    }

    static func add(to router: Router<GatewayRequestContext>, gateway: GatewayContext) {
        let route = ModelsRoute(gateway: gateway)
        router.get("/v1/models") { request, _ in
            if let refusal = gateway.authorize(request) { return refusal }
            if let forwarder = gateway.forwarder {
                return await forwarder.forward(method: .get, path: "/v1/models", body: nil, headers: request.headers)
            }
            return Responses.json(ModelList(data: gateway.configuration.models.map(route.model)))
        }
        router.get("/v1/models/{id}") { request, context in
            if let refusal = gateway.authorize(request) { return refusal }
            let id = context.parameters.get("id") ?? ""
            if let forwarder = gateway.forwarder {
                let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id
                return await forwarder.forward(method: .get, path: "/v1/models/\(escaped)", body: nil, headers: request.headers)
            }
            guard gateway.configuration.models.contains(id) else {
                return Responses.error(
                    .notFound, message: "The model '\(id)' does not exist; GET /v1/models lists the ones served here.",
                    type: "invalid_request_error", code: "model_not_found", param: "model"
                )
            }
            return Responses.json(route.model(id))
        }
    }

    func model(_ id: String) -> Model {
        Model(id: id, created: 0, ownedBy: "switchyard")
    }
}
