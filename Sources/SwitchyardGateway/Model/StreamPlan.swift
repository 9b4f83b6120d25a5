import Foundation
import SwitchyardCore

/// Everything needed to produce a stream's events again, event by event: the store keeps it so
/// that a client reconnecting with `Last-Event-ID` resumes where it was.
///
/// Event 0 carries the role, events 1…tokens the words (one per choice that still has one), event
/// tokens+1 the finish reason, then, with `include_usage`, a chunk with the usage and no choices,
/// and last the `[DONE]` marker. `tokens` is the longest choice's length after the stop sequences.
public struct StreamPlan: Sendable, Hashable {
    /// One of the `n` answers: its seed and how many tokens it has once a stop sequence cut it.
    public struct Choice: Sendable, Hashable {
        public var seed: UInt64
        public var length: Int
        /// The last token as cut short by a stop sequence; nil when it is whole.
        public var cutLastToken: String?
    }

    public var streamID: String
    public var model: String
    public var created: Int
    public var tokens: Int
    public var tokenDelay: Duration
    public var fingerprint: String
    public var choices: [Choice]
    public var includeUsage: Bool
    public var promptTokens: Int

    public init(
        streamID: String, model: String, created: Int, tokens: Int, tokenDelay: Duration, seed: UInt64, fingerprint: String,
        n: Int = 1, stop: [String] = [], includeUsage: Bool = false, promptTokens: Int = 0
    ) {
        self.streamID = streamID
        self.model = model
        self.created = created
        self.tokenDelay = tokenDelay
        self.fingerprint = fingerprint
        self.includeUsage = includeUsage
        self.promptTokens = promptTokens
        let choices = (0..<max(1, n)).map { index in
            Self.choice(seed: Self.seed(seed, choice: index), tokens: max(0, tokens), stop: stop)
        }
        self.choices = choices
        self.tokens = choices.map(\.length).max() ?? 0
    }

    /// Choice 0 keeps the prompt's seed, so one answer is the same with or without `n`.
    static func seed(_ seed: UInt64, choice: Int) -> UInt64 {
        seed &+ UInt64(choice) &* 0xD1B5_4A32_D192_ED03
    }

    public var seed: UInt64 { choices[0].seed }
    public var completionID: String { "chatcmpl-\(streamID)" }
    public var lastSequence: Int { tokens + (includeUsage ? 3 : 2) }
    public var completionTokens: Int { choices.reduce(0) { $0 + $1.length } }
    public var usage: ChatCompletion.Usage { .init(promptTokens: promptTokens, completionTokens: completionTokens) }

    public func eventID(_ sequence: Int) -> String {
        EventID(streamID: streamID, sequence: sequence).description
    }

    /// Token `index` (0-based) of choice `choice`, nil past its end.
    public func token(choice: Int, index: Int) -> String? {
        let plan = choices[choice]
        guard index < plan.length else { return nil }
        if index == plan.length - 1, let cut = plan.cutLastToken { return cut }
        return LocalModel.token(seed: plan.seed, index: index)
    }

    /// The whole answer of one choice.
    public func answer(choice: Int) -> String {
        (0..<choices[choice].length).compactMap { token(choice: choice, index: $0) }.joined()
    }

    /// The SSE event with this sequence number.
    public func event(_ sequence: Int) -> SSEEvent {
        if sequence == lastSequence {
            return SSEEvent(id: eventID(sequence), data: "[DONE]")
        }
        var usage: ChatCompletion.Usage?
        let choices: [ChatCompletionChunk.Choice]
        if sequence == 0 {
            choices = self.choices.indices.map { .init(index: $0, delta: .init(role: "assistant", content: "")) }
        } else if sequence <= tokens {
            choices = self.choices.indices.compactMap { index in
                token(choice: index, index: sequence - 1).map { .init(index: index, delta: .init(content: $0)) }
            }
        } else if sequence == tokens + 1 {
            choices = self.choices.indices.map { .init(index: $0, delta: .init(), finishReason: "stop") }
        } else {
            choices = []
            usage = self.usage
        }
        let chunk = StreamChunk(
            id: completionID, created: created, model: model, systemFingerprint: fingerprint, choices: choices,
            usage: usage, includeUsage: includeUsage
        )
        return SSEEvent(id: eventID(sequence), data: JSONCoding.string(chunk))
    }

    /// Whether this event is the one a client sees as its first token (for time-to-first-token).
    public func isFirstToken(_ sequence: Int) -> Bool { sequence == min(1, lastSequence) }

    /// Where the first stop sequence appears in the answer for `seed`: the answer ends just before
    /// it, as OpenAI's does (the stop sequence itself is not sent).
    static func choice(seed: UInt64, tokens: Int, stop: [String]) -> Choice {
        let stops = stop.map { Array($0.utf8) }.filter { !$0.isEmpty }
        guard !stops.isEmpty else { return Choice(seed: seed, length: tokens, cutLastToken: nil) }
        let longest = stops.map(\.count).max() ?? 1
        var text: [UInt8] = []
        var starts: [Int] = []
        for index in 0..<tokens {
            let searchFrom = max(0, text.count - longest + 1)
            starts.append(text.count)
            text += LocalModel.token(seed: seed, index: index).utf8
            var cut: Int?
            for sequence in stops {
                if let at = firstIndex(of: sequence, in: text, from: searchFrom) { cut = min(cut ?? at, at) }
            }
            guard let cut else { continue }
            // Tokens that begin before the cut are sent; the last of them may be cut short.
            let kept = starts.lastIndex(where: { $0 < cut }).map { $0 + 1 } ?? 0
            guard kept > 0 else { return Choice(seed: seed, length: 0, cutLastToken: nil) }
            let lastStart = starts[kept - 1]
            let whole = LocalModel.token(seed: seed, index: kept - 1)
            let part = String(decoding: text[lastStart..<cut], as: UTF8.self)
            return Choice(seed: seed, length: kept, cutLastToken: part == whole ? nil : part)
        }
        return Choice(seed: seed, length: tokens, cutLastToken: nil)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
