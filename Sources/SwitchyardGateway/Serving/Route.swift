/// The routes the gateway answers, as metric label values (never a raw path, which would let
/// clients make label values without bound).
enum Route: String, Sendable {
    case chatCompletions = "/v1/chat/completions"
    case models = "/v1/models"
    case model = "/v1/models/{id}"
    case healthz = "/healthz"
    case readyz = "/readyz"
    case version = "/version"
    case metrics = "/metrics"
    case other

    init(path: String) {
        if path.hasPrefix("/v1/models/"), path.count > "/v1/models/".count {
            self = .model
        } else {
            self = Route(rawValue: path) ?? .other
        }
    }

    /// Operating endpoints keep answering while the instance drains.
    var answersWhileDraining: Bool {
        switch self {
        case .healthz, .readyz, .version, .metrics: true
        case .chatCompletions, .models, .model, .other: false
        }
    }
}
