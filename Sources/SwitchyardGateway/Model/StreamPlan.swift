import Foundation
import SwitchyardCore

/// Everything needed to produce a stream's events again, event by event: the store keeps it so
/// that a client reconnecting with `Last-Event-ID` resumes where it was.
///
/// Event 0 carries the role, events 1…tokens the words, event tokens+1 the finish reason,
/// event tokens+2 the `[DONE]` marker.
public struct StreamPlan: Sendable, Hashable {
    public var streamID: String
    public var model: String
    public var created: Int
    public var tokens: Int
    public var tokenDelay: Duration
    public var seed: UInt64
    public var fingerprint: String

    public init(streamID: String, model: String, created: Int, tokens: Int, tokenDelay: Duration, seed: UInt64, fingerprint: String) {
        self.streamID = streamID
        self.model = model
        self.created = created
        self.tokens = tokens
        self.tokenDelay = tokenDelay
        self.seed = seed
        self.fingerprint = fingerprint
    }

    public var completionID: String { "chatcmpl-\(streamID)" }
    public var lastSequence: Int { tokens + 2 }

    public func eventID(_ sequence: Int) -> String {
        EventID(streamID: streamID, sequence: sequence).description
    }

    /// The SSE event with this sequence number.
    public func event(_ sequence: Int) -> SSEEvent {
        if sequence == lastSequence {
            return SSEEvent(id: eventID(sequence), data: "[DONE]")
        }
        let choice: ChatCompletionChunk.Choice
        switch sequence {
        case 0:
            choice = .init(delta: .init(role: "assistant", content: ""))
        case tokens + 1:
            choice = .init(delta: .init(), finishReason: "stop")
        default:
            choice = .init(delta: .init(content: LocalModel.token(seed: seed, index: sequence - 1)))
        }
        let chunk = ChatCompletionChunk(id: completionID, created: created, model: model, systemFingerprint: fingerprint, choices: [choice])
        return SSEEvent(id: eventID(sequence), data: JSONCoding.string(chunk))
    }

    /// Whether this event is the one a client sees as its first token (for time-to-first-token).
    public func isFirstToken(_ sequence: Int) -> Bool { sequence == min(1, lastSequence) }
}
