import AsyncHTTPClient
import Foundation
import NIOCore

extension DaemonHarness {
    /// A GET whose body is text (`/metrics`), without a token.
    func text(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 22))
    }
}
