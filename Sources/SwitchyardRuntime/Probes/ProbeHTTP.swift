import AsyncHTTPClient
import Foundation
import NIOCore

/// A whole HTTP answer, or why there was none.
struct ProbeAnswer: Sendable {
    var status: Int
    var body: String
    var slot: String?
}

struct ProbeTimeout: Error, CustomStringConvertible {
    var after: Duration
    var description: String { "no answer within \(after.shown)" }
}

enum ProbeHTTP {
    /// One request, head and body both within `timeout`.
    static func fetch(_ client: HTTPClient, url: String, method: String = "GET", timeout: Duration, bodyLimit: Int = 16 << 20) async throws -> ProbeAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        return try await fetch(client, request: request, timeout: timeout, bodyLimit: bodyLimit)
    }

    /// One prepared request, head and body both within `timeout`.
    static func fetch(_ client: HTTPClient, request prepared: HTTPClientRequest, timeout: Duration, bodyLimit: Int = 16 << 20) async throws -> ProbeAnswer {
        return try await withTimeout(timeout) {
            let response: HTTPClientResponse
            do {
                response = try await client.execute(prepared, timeout: .nanoseconds(timeout.nanosecondsClamped))
            } catch let error as HTTPClientError where error == .deadlineExceeded {
                // The client's own deadline and ours are the same timeout: say it the same way.
                throw ProbeTimeout(after: timeout)
            }
            let body = try await response.body.collect(upTo: bodyLimit)
            return ProbeAnswer(status: Int(response.status.code), body: String(buffer: body), slot: response.headers.first(name: "X-Yard-Slot"))
        }
    }

    /// Runs `operation`, throwing `ProbeTimeout` if it takes longer than `timeout` (the operation is cancelled).
    static func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ProbeTimeout(after: timeout)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// A short reason a person can act on.
    static func reason(_ error: any Error) -> String {
        if let timeout = error as? ProbeTimeout { return timeout.description }
        if let error = error as? HTTPClientError, error == .deadlineExceeded { return "no answer in time" }
        let text = String(describing: error)
        if text.contains("connectTimeout") { return "connect timeout" }
        if text.contains("Connection refused") || text.contains("connection refused") { return "connection refused" }
        return String(text.prefix(200))
    }
}
