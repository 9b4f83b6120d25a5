import Foundation
import SwitchyardRuntime

/// One line of the audit log as the API shows it.
public struct AuditEntryView: Codable, Sendable, Hashable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var target: String
    public var outcome: String
    public var detail: String?

    public init(_ entry: AuditEntry) {
        id = entry.id
        at = entry.at
        actor = entry.actor
        action = entry.action
        target = entry.target
        outcome = entry.outcome
        detail = entry.detail
    }
}

/// `GET /v1/audit`: newest first.
public struct AuditView: Codable, Sendable {
    public var entries: [AuditEntryView]
    public init(entries: [AuditEntryView]) { self.entries = entries }
}

/// A token as listed: never its secret nor its hash.
public struct TokenView: Codable, Sendable, Hashable {
    public var name: String
    public var role: String
    public var createdAt: Date

    public init(_ record: TokenRecord) {
        name = record.name
        role = record.role.rawValue
        createdAt = record.createdAt
    }
}

/// `GET /v1/tokens`.
public struct TokenListView: Codable, Sendable {
    public var tokens: [TokenView]
    public init(tokens: [TokenView]) { self.tokens = tokens }
}

/// `POST /v1/tokens` answers with the token itself, shown this once.
public struct CreatedTokenView: Codable, Sendable {
    public var name: String
    public var role: String
    public var createdAt: Date
    public var token: String

    public init(_ record: TokenRecord, token: String) {
        name = record.name
        role = record.role.rawValue
        createdAt = record.createdAt
        self.token = token
    }
}

/// The body of `POST /v1/tokens`.
public struct CreateTokenRequest: Codable, Sendable {
    public var name: String
    public var role: String
    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }
}
