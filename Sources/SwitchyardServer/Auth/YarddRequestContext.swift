import Hummingbird
import SwitchyardRuntime

/// The daemon's request context: Hummingbird's core storage and who the request comes from once
/// `AuthMiddleware` has accepted its bearer token.
public struct YarddRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token the request authenticated with; nil outside /v1 (health and readiness).
    public var token: TokenRecord?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Who acts, for the audit log and release records: the token's name.
    public var actor: String { token?.name ?? "anonymous" }
}
