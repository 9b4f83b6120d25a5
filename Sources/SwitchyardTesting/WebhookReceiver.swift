import Foundation
import Hummingbird
import NIOCore

/// A real local HTTP server that takes webhook POSTs and keeps their bodies: it answers 500 to the first
/// `failFirst` of each path, and never answers on `/hang` (until the test ends).
public final class WebhookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [(path: String, body: String)] = []
    private var attempts: [String: Int] = [:]
    public let failFirst: Int

    public init(failFirst: Int = 0) { self.failFirst = failFirst }

    /// Bodies that were answered 2xx, per path.
    public func delivered(_ path: String) -> [String] { lock.withLock { received.filter { $0.path == path }.map(\.body) } }
    public func attemptCount(_ path: String) -> Int { lock.withLock { attempts[path] ?? 0 } }

    private func take(_ path: String, _ body: String) -> Bool {
        lock.withLock {
            attempts[path, default: 0] += 1
            guard attempts[path]! > failFirst else { return false }
            received.append((path, body))
            return true
        }
    }

    /// Runs the server on an ephemeral loopback port for the length of `body`, which gets its base URL.
    public func with<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hang") { [self] _, _ -> Response in
            _ = lock.withLock { attempts["/hang", default: 0] += 1 }
            try await Task.sleep(for: .seconds(600))
            return Response(status: .ok)
        }
        router.post("/{name}") { [self] request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let path = "/" + (context.parameters.get("name") ?? "")
            return Response(status: take(path, String(buffer: buffer)) ? .ok : .internalServerError)
        }
        return try await LocalHTTPServer.with(router, name: "the webhook receiver", body)
    }
}
