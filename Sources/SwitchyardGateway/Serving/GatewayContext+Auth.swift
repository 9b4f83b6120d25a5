import Foundation
import Hummingbird

extension GatewayContext {
    /// The bearer token of a request, if it sent one.
    static func bearerToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix) else { return nil }
        let token = value.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// nil when the request may go on (auth off, or a known key); otherwise the 401 to send.
    func authorize(_ request: Request) -> Response? {
        guard let keys = configuration.apiKeys else { return nil }
        guard let key = Self.bearerToken(request) else {
            return Responses.error(
                .unauthorized, message: "Missing API key: send it as 'Authorization: Bearer KEY'.",
                type: "invalid_request_error", code: "missing_api_key"
            )
        }
        guard keys.contains(key) else {
            return Responses.error(.unauthorized, message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key")
        }
        return nil
    }

    /// Whose bucket a request takes from: its API key with auth on, else the client's address
    /// (a bearer the gateway does not check is no identity: rotating it would dodge the limit).
    func rateLimitKey(_ request: Request, clientAddress: String) -> String {
        if configuration.apiKeys != nil, let key = Self.bearerToken(request) { return "key:" + key }
        return "addr:" + clientAddress
    }
}
