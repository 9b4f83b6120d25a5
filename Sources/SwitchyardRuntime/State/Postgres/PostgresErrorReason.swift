import PostgresNIO

/// What went wrong with a PostgreSQL call, in the server's or the socket's own words, for messages: the state store's
/// errors and a datastore drill's alike.
enum PostgresErrorReason {
    static func text(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        if let passed = error as? Deadline.Passed { return "no answer within \(passed.limit)" }
        if let abandoned = error as? Deadline.Abandoned { return abandoned.reason }
        // PSQLError hides itself from "\(error)" when it arrives wrapped; its reflection says what happened.
        let text = "\(error)"
        return text.contains("Generic description") ? String(String(reflecting: error).prefix(300)) : text
    }
}
