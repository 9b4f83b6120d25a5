import Foundation
import SwitchyardRuntime

/// Token management on a state store: what `POST/GET/DELETE /v1/tokens`, `yardd token` and `yard token`
/// (without a server) share, so names are checked and errors read the same everywhere.
public enum TokenAdmin {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidName(String)
        case invalidRole(String)
        case exists(String)
        case notFound(String)
        case store(String)

        public var description: String {
            switch self {
            case .invalidName(let name):
                "token names use letters, digits, '-', '_', '.' and '@' (got \(name.debugDescription))"
            case .invalidRole(let role):
                "unknown role \(role.debugDescription); roles are \(TokenRole.allCases.map(\.rawValue).joined(separator: ", "))"
            case .exists(let name): "a token named \(name) already exists; revoke it first or pick another name"
            case .notFound(let name): "no token named \(name); `token list` lists them"
            case .store(let message): message
            }
        }
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.@".contains($0) }
    }

    public static func role(_ text: String) throws(Failure) -> TokenRole {
        guard let role = TokenRole(rawValue: text) else { throw .invalidRole(text) }
        return role
    }

    /// Creates a token for `actor` (audited as `token.create`); returns its record and the secret, which is not kept
    /// anywhere.
    public static func create(name: String, role: TokenRole, in store: any StateStore, actor: String, now: Date = Date()) async throws(Failure) -> (TokenRecord, String) {
        try await audited(actor: actor, action: "token.create", target: name, detail: "role \(role)", store: store) { () throws(Failure) in
            guard isValidName(name) else { throw .invalidName(name) }
            let secret = APIToken.generate()
            do throws(StateStoreError) {
                let record = try await store.createToken(name: name, role: role, hash: APIToken.hash(secret), now: now)
                return (record, secret)
            } catch .tokenExists {
                throw .exists(name)
            } catch {
                throw .store(error.description)
            }
        }
    }

    /// Revokes a token for `actor` (audited as `token.revoke`).
    public static func revoke(name: String, in store: any StateStore, actor: String) async throws(Failure) {
        try await audited(actor: actor, action: "token.revoke", target: name, detail: nil, store: store) { () throws(Failure) in
            let revoked: Bool
            do throws(StateStoreError) { revoked = try await store.revokeToken(name: name) } catch { throw .store(error.description) }
            guard revoked else { throw .notFound(name) }
        }
    }

    /// `AuditTrail.perform`, with its failures as this type's: a store that cannot record the request is `.store`.
    private static func audited<T: Sendable>(actor: String, action: String, target: String, detail: String?, store: any StateStore,
                                             _ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        do {
            return try await AuditTrail(store: store).perform(actor: actor, action: action, target: target, detail: detail,
                                                              describe: { ($0 as? Failure)?.description ?? "\($0)" }) { try await body() }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .store("\(error)")
        }
    }

    public static func list(in store: any StateStore) async throws(Failure) -> [TokenView] {
        do { return try await store.tokens().map(TokenView.init) } catch { throw .store(error.description) }
    }
}
