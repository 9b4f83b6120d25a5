import AsyncHTTPClient
import NIOCore

/// The HTTP client the load generator and the probes use unless handed another: room for
/// hundreds of concurrent streams to one host, no client-wide read timeout (each caller bounds
/// its own requests), no redirects.
public enum YardHTTPClient {
    /// Lives as long as the process and is never shut down (AsyncHTTPClient requires a client
    /// to be shut down before it is released; a process-wide constant never is).
    public static let shared: HTTPClient = make(connectionsPerHost: 1024)

    /// A client of your own; call `shutdown()` on it when done.
    public static func make(connectionsPerHost: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.timeout = .init(connect: .seconds(1), read: nil)
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
