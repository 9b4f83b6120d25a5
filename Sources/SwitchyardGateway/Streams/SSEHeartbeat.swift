import SwitchyardCore

/// The keep-alive the gateway writes into a quiet stream: one comment line, `: ping`, and no blank
/// line after it.
///
/// A blank line ends an event, and some decoders dispatch an event on every blank line once an
/// event carried an `id:` (the OpenAI Python SDK does: its "last event id" persists, so `: ping`
/// plus a blank line reached its JSON decoder as an event with empty data and raised
/// `JSONDecodeError`). A comment line alone is skipped by every decoder (WHATWG, browsers, the SDKs)
/// and still moves bytes, which is all a proxy's idle timer needs. The gateway writes whole events,
/// so a ping always falls between two events and never inside one.
enum SSEHeartbeat {
    static let frame = SSEEncoder.comment("ping")
}
