/// What a person asks of a running release, from the CLI or the API. A value, journaled as data: an
/// abort's reason is only ever a reason, whatever its text (an abort "because: promote" aborts).
public enum ReleaseControl: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Skip what is left of the bake, or answer `awaitPromotion`.
    case promote
    /// Route back to the old slot and retire the new one.
    case abort(reason: String)

    /// For people reading the journal; never parsed back.
    public var description: String {
        switch self {
        case .promote: "promote"
        case .abort(let reason): "abort: \(reason)"
        }
    }

    /// The status a sender reports once the request is journaled.
    public var requestedStatus: String {
        switch self {
        case .promote: "promote requested"
        case .abort: "abort requested"
        }
    }
}

extension ReleaseMachine {
    /// A person's request, as the machine's event.
    public mutating func control(_ request: ReleaseControl) -> [Action] {
        switch request {
        case .promote: promote()
        case .abort(let reason): abort(reason: reason)
        }
    }
}
