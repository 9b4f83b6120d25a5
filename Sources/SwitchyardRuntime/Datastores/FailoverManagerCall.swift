import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardCore

/// A member promoted through a failover manager's API (Patroni's `POST /failover`, a cloud's promote endpoint): one
/// request as the member's `promote.http` says, which must answer 2xx. What the manager then does is watched by the
/// caller, which waits for the member to answer as primary.
struct FailoverManagerCall: Sendable {
    var request: HTTPPromotion
    var timeout: Duration = .seconds(60)

    enum Failure: Error, Sendable, CustomStringConvertible {
        case refused(String, url: String, status: Int, body: String)
        case unreachable(String, url: String, why: String)

        var description: String {
            switch self {
            case .refused(let method, let url, let status, let body):
                "\(method) \(url) answered \(status)" + (body.isEmpty ? "" : ": \(body.prefix(400))")
            case .unreachable(let method, let url, let why): "\(method) \(url) got no answer: \(why)"
            }
        }
    }

    /// Sends the request; returns the manager's answer.
    @discardableResult
    func perform() async throws -> String {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .init(rawValue: request.method.rawValue)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            if !request.headers.keys.contains(where: { $0.lowercased() == "content-type" }) { outgoing.headers.add(name: "Content-Type", value: "application/json") }
            outgoing.body = .bytes(ByteBuffer(string: body))
        }
        let answer: ProbeAnswer
        do {
            answer = try await ProbeHTTP.fetch(YardHTTPClient.shared, request: outgoing, timeout: timeout)
        } catch {
            throw Failure.unreachable(request.method.rawValue, url: request.url, why: ProbeHTTP.reason(error))
        }
        guard (200..<300).contains(answer.status) else {
            throw Failure.refused(request.method.rawValue, url: request.url, status: answer.status, body: answer.body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return answer.body
    }
}
