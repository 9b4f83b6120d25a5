import Foundation

/// The dashboard's sessions and one-time login links, kept in the daemon's memory only.
///
/// Rules:
/// 1. A session or a link holds the SHA-256 of the token it was made from, never the token; each request it
///    authenticates looks that hash up in the store again, so revoking the token ends its sessions at once.
/// 2. The id handed to the browser is 32 random bytes; only its SHA-256 is kept as the key, so what this actor holds
///    cannot be replayed as a cookie.
/// 3. A session lives `sessionLifetime` from its creation; a login link `linkLifetime`, and is good for one use.
/// 4. At most `capacity` sessions and as many links: the oldest are dropped first. A daemon restart ends every session.
actor DashboardSessions {
    struct Entry {
        var tokenHash: String
        var next: String
        var expires: Date
    }

    let sessionLifetime: TimeInterval
    let linkLifetime: TimeInterval
    let capacity: Int
    let clock: @Sendable () -> Date
    private var sessions: [String: Entry] = [:]
    private var links: [String: Entry] = [:]

    init(sessionLifetime: TimeInterval = 12 * 3600, linkLifetime: TimeInterval = 60, capacity: Int = 10_000,
         clock: @escaping @Sendable () -> Date = { Date() }) {
        self.sessionLifetime = sessionLifetime
        self.linkLifetime = linkLifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// A new session for the token whose hash is `tokenHash`; returns the id to set as the cookie.
    func open(tokenHash: String) -> String {
        let id = APIToken.generate()
        Self.insert(Entry(tokenHash: tokenHash, next: "", expires: clock().addingTimeInterval(sessionLifetime)), key: APIToken.hash(id),
                    into: &sessions, capacity: capacity, now: clock())
        return id
    }

    /// The token hash of a live session; nil when unknown or expired.
    func tokenHash(session id: String) -> String? {
        let key = APIToken.hash(id)
        guard let entry = sessions[key] else { return nil }
        guard entry.expires > clock() else { sessions[key] = nil; return nil }
        return entry.tokenHash
    }

    func close(session id: String) { sessions[APIToken.hash(id)] = nil }

    /// A one-time link that opens a session for `tokenHash` and goes to `next`; returns its secret and expiry.
    func makeLink(tokenHash: String, next: String) -> (secret: String, expires: Date) {
        let secret = APIToken.generate()
        let expires = clock().addingTimeInterval(linkLifetime)
        Self.insert(Entry(tokenHash: tokenHash, next: next, expires: expires), key: APIToken.hash(secret), into: &links, capacity: capacity, now: clock())
        return (secret, expires)
    }

    /// Uses up a link: its token hash and where it goes, or nil when unknown, used or expired.
    func redeem(link secret: String) -> Entry? {
        guard let entry = links.removeValue(forKey: APIToken.hash(secret)), entry.expires > clock() else { return nil }
        return entry
    }

    var sessionCount: Int { sessions.count }

    private static func insert(_ entry: Entry, key: String, into table: inout [String: Entry], capacity: Int, now: Date) {
        if table.count >= capacity {
            table = table.filter { $0.value.expires > now }
            while table.count >= capacity, let oldest = table.min(by: { $0.value.expires < $1.value.expires })?.key { table[oldest] = nil }
        }
        table[key] = entry
    }
}
