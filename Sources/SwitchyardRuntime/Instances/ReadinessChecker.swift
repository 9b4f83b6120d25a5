import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardCore

/// Asks an instance whether it is ready: its readiness path answers 200.
public struct ReadinessChecker: Sendable {
    public let client: HTTPClient
    public let timeout: Duration

    public init(client: HTTPClient, timeout: Duration = .seconds(1)) {
        self.client = client
        self.timeout = timeout
    }

    public func isReady(_ address: HostPort, path: String) async -> Bool {
        var request = HTTPClientRequest(url: "http://\(address.host == "0.0.0.0" ? "127.0.0.1" : address.host):\(address.port)\(path)")
        request.method = .GET
        guard let response = try? await client.execute(request, timeout: .milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }
}
