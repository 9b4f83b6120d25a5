import Hummingbird
import NIOCore

/// The request context of the gateway's router: Hummingbird's basic storage plus the client's
/// address, which the rate limiter keys on when auth is off.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text (no port), or "unknown".
    var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
