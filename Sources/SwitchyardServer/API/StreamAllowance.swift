/// How many event streams each token holds open, for streams that are not fanned out by a feed (drill runs): a token
/// may hold at most `limit` at once, as it may of release streams (`--max-streams-per-token`, counted apart).
actor StreamAllowance {
    let limit: Int
    private var open: [String: Int] = [:]

    init(limit: Int) { self.limit = limit }

    /// Takes one stream for `token`, or throws when it already holds `limit`.
    func take(_ token: String) throws(ReleaseJournalFeed.TooMany) {
        let held = open[token, default: 0]
        guard held < limit else { throw ReleaseJournalFeed.TooMany(token: token, limit: limit) }
        open[token] = held + 1
    }

    func give(_ token: String) {
        let held = open[token, default: 0] - 1
        open[token] = held > 0 ? held : nil
    }

    /// Streams open now, all tokens together.
    var count: Int { open.values.reduce(0, +) }
}
