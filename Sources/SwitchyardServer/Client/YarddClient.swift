import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardRuntime

/// A client of yardd's API: JSON calls with a bearer token, and the release event stream. Errors carry the
/// server, the HTTP status and what to do about them (which token or role is needed, how to start yardd).
public struct YarddClient: Sendable {
    /// The daemon talked to now: `http://HOST:PORT`, without a trailing slash.
    public var server: String { choice.server }
    /// Every daemon given, in order.
    public var servers: [String] { choice.servers }
    let choice: ServerChoice
    public let token: String?
    let http: HTTPClient
    public var timeout: TimeAmount = .seconds(30)
    /// An event stream silent this long (the daemon pings every 10 s) is taken as lost and reconnected.
    public var eventIdleTimeout: Duration = .seconds(35)

    /// `server` is a URL (`http://127.0.0.1:7780`) or `HOST:PORT`, or several separated by commas (daemons sharing
    /// one store): calls go to the first that answers, and a standby's `not-leader` answer sends them to the leader.
    public init(server: String, token: String?, http: HTTPClient = YardHTTPClient.shared) throws(Failure) {
        var bases: [String] = []
        for part in server.split(separator: ",") {
            var base = part.trimmingCharacters(in: .whitespaces)
            if !base.contains("://") { base = "http://" + base }
            while base.hasSuffix("/") { base.removeLast() }
            guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https", url.host != nil else { throw .invalidServer(String(part)) }
            if !bases.contains(base) { bases.append(base) }
        }
        guard !bases.isEmpty else { throw .invalidServer(server) }
        choice = ServerChoice(bases)
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.http = http
    }

    // MARK: releases

    /// Releases newest first; `running` lists only those not finished yet.
    public func releases(service: String? = nil, limit: Int = 20, running: Bool = false) async throws(Failure) -> [ReleaseView] {
        var query = "limit=\(limit)"
        if let service { query += "&service=\(Self.escape(service))" }
        if running { query += "&running=true" }
        return try await call(.GET, "/v1/releases?\(query)", as: ReleaseList.self).releases
    }

    public func release(id: String) async throws(Failure) -> ReleaseView {
        try await call(.GET, "/v1/releases/\(Self.escape(id))", as: ReleaseView.self)
    }

    public func journal(release id: String) async throws(Failure) -> JournalView {
        try await call(.GET, "/v1/releases/\(Self.escape(id))/journal", as: JournalView.self)
    }

    public func startRelease(_ request: StartReleaseRequest) async throws(Failure) -> AcceptedView {
        try await call(.POST, "/v1/releases", body: request, as: AcceptedView.self)
    }

    public func promote(release id: String) async throws(Failure) -> AcceptedView {
        try await call(.POST, "/v1/releases/\(Self.escape(id))/promote", as: AcceptedView.self)
    }

    public func abort(release id: String, reason: String?) async throws(Failure) -> AcceptedView {
        try await call(.POST, "/v1/releases/\(Self.escape(id))/abort", body: AbortRequest(reason: reason), as: AcceptedView.self)
    }

    // MARK: audit and tokens

    public func audit(limit: Int = 50) async throws(Failure) -> [AuditEntryView] {
        try await call(.GET, "/v1/audit?limit=\(limit)", as: AuditView.self).entries
    }

    public func tokens() async throws(Failure) -> [TokenView] {
        try await call(.GET, "/v1/tokens", as: TokenListView.self).tokens
    }

    public func createToken(name: String, role: String) async throws(Failure) -> CreatedTokenView {
        try await call(.POST, "/v1/tokens", body: CreateTokenRequest(name: name, role: role), as: CreatedTokenView.self)
    }

    /// `DELETE /v1/tokens/{name}`: 204 once revoked.
    public func revokeToken(name: String) async throws(Failure) {
        var request = makeRequest("/v1/tokens/\(Self.escape(name))")
        request.method = .DELETE
        let (status, data) = try await exchange(request)
        guard (200..<300).contains(status) else { throw failure(status: status, data: data) }
    }

    // MARK: plumbing

    struct ReleaseList: Decodable { var releases: [ReleaseView] }
    struct NoBody: Encodable {}

    public func call<T: Decodable>(_ method: HTTPMethod, _ path: String, as type: T.Type) async throws(Failure) -> T {
        try await call(method, path, body: Optional<NoBody>.none, as: type)
    }

    public func call<T: Decodable, B: Encodable>(_ method: HTTPMethod, _ path: String, body: B?, as type: T.Type) async throws(Failure) -> T {
        var encoded: Data?
        if let body {
            guard let data = try? JSONEncoder().encode(body) else { throw .unexpected(server: server, status: 0, what: "a request body that cannot be encoded") }
            encoded = data
        }
        let (status, data) = try await exchangeWithLeader {
            var request = makeRequest(path)
            request.method = method
            if let encoded {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: encoded))
            }
            return request
        }
        guard (200..<300).contains(status) else { throw failure(status: status, data: data) }
        do { return try Self.decoder.decode(type, from: data) } catch {
            throw .unexpected(server: server, status: status, what: "an answer that is not the JSON expected (\(error)): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
    }

    func makeRequest(_ path: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: server + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    /// Sends the request `make` builds to the current daemon; when it is unreachable, to the next of `servers` (each
    /// once); when a standby answers `not-leader` naming the leader, to the leader (or, naming none, the next one).
    private func exchangeWithLeader(_ make: () -> HTTPClientRequest) async throws(Failure) -> (Int, Data) {
        var tries = 0
        while true {
            tries += 1
            let target = server
            do {
                let (status, data) = try await exchange(make())
                if status == 503, tries <= servers.count + 1, case .api(let refusal) = failure(status: status, data: data), refusal.code == "not-leader" {
                    if let leader = refusal.details["leader"], leader != target {
                        choice.use(leader)
                        continue
                    }
                    if choice.advance(from: target) { continue }
                }
                return (status, data)
            } catch {
                guard case .unreachable = error, tries < servers.count, choice.advance(from: target) else { throw error }
            }
        }
    }

    private func exchange(_ request: HTTPClientRequest) async throws(Failure) -> (Int, Data) {
        do {
            let response = try await http.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 1 << 24)
            return (Int(response.status.code), Data(buffer: buffer))
        } catch {
            throw .unreachable(server: server, reason: Self.reason(error))
        }
    }

    /// The API's `{"error": {code, message, details}}`, or what came instead.
    func failure(status: Int, data: Data) -> Failure {
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: data) {
            return .api(APIFailure(server: server, status: status, code: body.error.code, message: body.error.message,
                                   details: body.error.details ?? [:], sentToken: token != nil))
        }
        return .unexpected(server: server, status: status, what: "an answer that is not an API error: \(String(decoding: data.prefix(300), as: UTF8.self))")
    }

    struct ErrorBody: Decodable {
        struct Content: Decodable {
            var code: String
            var message: String
            var details: [String: String]?
        }
        var error: Content
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func escape(_ component: String) -> String {
        component.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&=#"))) ?? component
    }

    /// A short reason for a transport error: `connection refused` is the common one.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("timeout") || text.localizedCaseInsensitiveContains("timed out") { return "timed out" }
        return text
    }
}
