extension APIError {
    /// 503 `not-leader` from a standby, naming the leader's address in `details.leader` (absent while none is known), so
    /// that a client sends the request there.
    static func notLeader(_ refusal: NotLeader) -> APIError {
        APIError(.serviceUnavailable, code: "not-leader", message: refusal.description,
                 details: refusal.leader?.url.map { ["leader": $0] } ?? [:])
    }
}
