import Crypto
import Foundation
import SwitchyardRuntime

/// API tokens: `yard_` and 32 random bytes in unpadded base64url. Only the SHA-256 (hex) of the whole string is
/// stored; the token is shown once, when it is created.
public enum APIToken {
    public static let prefix = "yard_"

    /// A new random token (32 bytes from the system's secure generator).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The lowercase hex SHA-256 of the token's UTF-8 bytes: what the store keeps.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares two hashes in time that depends only on their lengths, never on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// Creates a token named `name` with `role` in `store`; returns the token, which is not kept anywhere.
    public static func create(name: String, role: TokenRole, in store: any StateStore, now: Date = Date()) async throws -> String {
        let token = generate()
        try await store.createToken(name: name, role: role, hash: hash(token), now: now)
        return token
    }

    /// The stored token a presented secret belongs to. Every stored hash is compared in constant time, and the
    /// loop does not stop at a match, so the time taken says nothing about which hash (or how much of it) matched.
    static func authenticate(_ presented: String, store: any StateStore) async throws(StateStoreError) -> TokenRecord? {
        let presentedHash = hash(presented)
        var found: TokenRecord?
        for record in try await store.tokens() where constantTimeEqual(record.hash, presentedHash) {
            found = record
        }
        return found
    }
}
