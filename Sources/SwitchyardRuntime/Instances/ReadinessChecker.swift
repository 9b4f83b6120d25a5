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

    /// Whether the instance's readiness path answers 200 within the timeout.
    public func isReady(_ address: HostPort, path: String, scheme: String = "http") async -> Bool {
        await notReadyReason(address, path: path, scheme: scheme) == nil
    }

    /// Why the instance is not ready (its answer, or why there was none); nil when it answered 200.
    public func notReadyReason(_ address: HostPort, path: String, scheme: String = "http", timeout: Duration? = nil) async -> String? {
        let host = address.host == "0.0.0.0" ? "127.0.0.1" : address.host
        do {
            let answer = try await ProbeHTTP.fetch(client, url: "\(scheme)://\(host):\(address.port)\(path)", timeout: timeout ?? self.timeout, bodyLimit: 1 << 16)
            return answer.status == 200 ? nil : "answered \(answer.status)"
        } catch {
            return ProbeHTTP.reason(error)
        }
    }
}
