import Foundation

/// What an API token may do. Each role includes the ones before it.
public enum TokenRole: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Reads.
    case viewer
    /// Reads, and starts, promotes and aborts releases.
    case `operator`
    /// Everything, tokens included.
    case admin

    var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: TokenRole, rhs: TokenRole) -> Bool { lhs.rank < rhs.rank }
    public var description: String { rawValue }
}

/// An API token as stored: its name, role and the SHA-256 (lowercase hex) of its secret. The secret itself is
/// never stored.
public struct TokenRecord: Sendable, Hashable {
    public var name: String
    public var role: TokenRole
    public var hash: String
    public var createdAt: Date

    public init(name: String, role: TokenRole, hash: String, createdAt: Date) {
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
    }
}
