import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardRuntime

extension DaemonHarness {
    /// A GET whose body is text (`/metrics`), without a token.
    func text(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }
}

extension DaemonHarness {
    /// Opens an event stream as `role` and keeps it open for as long as the caller holds the response.
    func openStream(_ path: String, as role: TokenRole) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(tokens[role]!)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status.code == 200 else { throw RawHTTP.Failure(description: "\(path) answered \(response.status.code)") }
        return response
    }
}
