/// The routes the gateway answers, as metric label values (never a raw path, which would let
/// clients make label values without bound).
enum Route: String, Sendable {
    case chatCompletions = "/v1/chat/completions"
    case healthz = "/healthz"
    case readyz = "/readyz"
    case version = "/version"
    case metrics = "/metrics"
    case other

    init(path: String) {
        self = Route(rawValue: path) ?? .other
    }

    /// Operating endpoints keep answering while the instance drains.
    var answersWhileDraining: Bool {
        switch self {
        case .healthz, .readyz, .version, .metrics: true
        case .chatCompletions, .other: false
        }
    }
}
