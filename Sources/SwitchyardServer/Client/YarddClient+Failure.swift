import Foundation

extension YarddClient {
    /// Why a call to yardd failed, worded for the person at the terminal.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// yardd answered with an API error.
        case api(APIFailure)
        /// No answer: the daemon is not running there, or the network is in the way.
        case unreachable(server: String, reason: String)
        /// An answer the client cannot read.
        case unexpected(server: String, status: Int, what: String)
        case invalidServer(String)

        public var description: String {
            switch self {
            case .api(let failure): failure.description
            case .unreachable(let server, let reason):
                "cannot reach yardd at \(server) (\(reason)). Is it running? Start it with `yardd --listen \(Self.hostPort(server)) --manifests DIR`, or point --server (or YARD_SERVER) at the daemon"
            case .unexpected(let server, let status, let what): "yardd at \(server) answered \(status == 0 ? "" : "HTTP \(status) with ")\(what)"
            case .invalidServer(let text): "--server: expected a URL such as http://127.0.0.1:7780 (or HOST:PORT), got \(text.debugDescription)"
            }
        }

        /// The HTTP status of an API error.
        public var status: Int? {
            switch self {
            case .api(let failure): failure.status
            case .unexpected(_, let status, _): status == 0 ? nil : status
            default: nil
            }
        }

        static func hostPort(_ server: String) -> String {
            guard let url = URL(string: server), let host = url.host else { return "127.0.0.1:7780" }
            return "\(host):\(url.port ?? 7780)"
        }
    }

    /// An error body from the API with its status.
    public struct APIFailure: Sendable, CustomStringConvertible {
        public var server: String
        public var status: Int
        public var code: String
        public var message: String
        public var details: [String: String]
        /// Whether the request carried a token (a 401 then means it is unknown or revoked).
        public var sentToken: Bool

        public var description: String {
            var text = "yardd at \(server) refused: HTTP \(status) \(code): \(message)"
            switch status {
            case 401 where sentToken:
                text += ". The token is unknown or revoked: ask an admin for a new one (`yard token create NAME --role operator`)"
            case 401:
                text += ". Pass a token with --token or YARD_TOKEN; an admin creates one with `yard token create NAME --role viewer|operator|admin` (or `yardd token create` on the state file)"
            case 403:
                let required = details["required"].map { "role \($0)" } ?? "a higher role"
                text += ". Use a token with \(required)\(details["role"].map { "; this one (\(details["token"] ?? "?")) has role \($0)" } ?? "")"
            default:
                let extra = details.filter { !message.contains($0.value) }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                if !extra.isEmpty { text += " (\(extra.joined(separator: ", ")))" }
            }
            return text
        }
    }
}
