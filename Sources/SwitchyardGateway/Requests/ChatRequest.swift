import Foundation

/// A chat completion request as the gateway reads it: OpenAI's body, checked field by field.
///
/// Accepted: `model`; `messages` (at least one; `content` a string, null, or an array of parts,
/// whose `text` parts are read and other kinds ignored); `stream`; `stream_options.include_usage`;
/// `max_tokens` and `max_completion_tokens` (the latter wins); `n` (1…128); `stop` (a string or up
/// to 4 strings); `temperature` (0…2); Switchyard's `yard_token_delay_ms`. Other fields are
/// ignored, as OpenAI-compatible servers do.
struct ChatRequest: Sendable, Hashable {
    struct Message: Sendable, Hashable {
        var role: String
        /// The text of the content (the text parts joined), empty when there is none.
        var text: String
    }

    var model: String
    var messages: [Message]
    var stream: Bool
    var includeUsage: Bool
    var maxTokens: Int?
    var n: Int
    var stop: [String]
    var yardTokenDelayMilliseconds: Int?

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]
    static let partTypes: Set<String> = ["text", "image_url", "input_audio", "file", "refusal"]

    /// The last message's text: what the local model answers.
    var prompt: String { messages.last?.text ?? "" }

    /// Words across all messages, as the local model counts prompt tokens.
    var promptTokens: Int { messages.reduce(0) { $0 + $1.text.split(whereSeparator: \.isWhitespace).count } }

    static func parse(_ data: Data) throws(RequestError) -> ChatRequest {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw RequestError(
                "We could not parse the JSON body of your request. The API expects a JSON object such as "
                    + #"{"model": "…", "messages": [{"role": "user", "content": "…"}]}."#
            )
        }
        guard case .object(let body) = value else {
            throw RequestError("The body must be a JSON object, not \(value.kind).")
        }
        return try ChatRequest(body)
    }

    private init(_ body: [String: JSONValue]) throws(RequestError) {
        guard case .string(let model)? = body["model"], !model.isEmpty else {
            throw RequestError(
                body["model"].map { "'model' must be a non-empty string (got \($0.kind))." } ?? "You must provide a model parameter.",
                param: "model"
            )
        }
        self.model = model

        guard let messagesValue = body["messages"], messagesValue != .null else {
            throw RequestError("Missing required parameter: 'messages'.", param: "messages")
        }
        guard case .array(let list) = messagesValue else {
            throw RequestError("'messages' must be an array of messages (got \(messagesValue.kind)).", param: "messages")
        }
        guard !list.isEmpty else {
            throw RequestError("'messages' must hold at least one message; it is empty.", param: "messages")
        }
        var messages: [Message] = []
        for (index, item) in list.enumerated() {
            messages.append(try Self.message(item, at: "messages[\(index)]"))
        }
        self.messages = messages

        stream = try Self.bool(body["stream"], "stream") ?? false
        switch body["stream_options"] {
        case nil, .null?:
            includeUsage = false
        case .object(let options)?:
            guard stream else {
                throw RequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options")
            }
            includeUsage = try Self.bool(options["include_usage"], "stream_options.include_usage") ?? false
        case let other?:
            throw RequestError("'stream_options' must be an object (got \(other.kind)).", param: "stream_options")
        }

        let maxTokens = try Self.integer(body["max_tokens"], "max_tokens", in: 0...1_000_000)
        let maxCompletionTokens = try Self.integer(body["max_completion_tokens"], "max_completion_tokens", in: 0...1_000_000)
        self.maxTokens = maxCompletionTokens ?? maxTokens
        n = try Self.integer(body["n"], "n", in: 1...128) ?? 1

        switch body["stop"] {
        case nil, .null?:
            stop = []
        case .string(let text)?:
            stop = text.isEmpty ? [] : [text]
        case .array(let items)?:
            guard items.count <= 4 else {
                throw RequestError("'stop' holds at most 4 sequences (got \(items.count)).", param: "stop")
            }
            var sequences: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw RequestError("'stop[\(index)]' must be a string (got \(item.kind)).", param: "stop")
                }
                if !text.isEmpty { sequences.append(text) }
            }
            stop = sequences
        case let other?:
            throw RequestError("'stop' must be a string or an array of strings (got \(other.kind)).", param: "stop")
        }

        switch body["temperature"] {
        case nil, .null?:
            break
        case .number(let value)? where (0...2).contains(value):
            break
        case let other?:
            throw RequestError("'temperature' must be a number from 0 to 2 (got \(Self.describe(other))).", param: "temperature")
        }
        yardTokenDelayMilliseconds = try Self.integer(body["yard_token_delay_ms"], "yard_token_delay_ms", in: 0...86_400_000)
    }

    private static func message(_ value: JSONValue, at path: String) throws(RequestError) -> Message {
        guard case .object(let fields) = value else {
            throw RequestError("'\(path)' must be an object with 'role' and 'content' (got \(value.kind)).", param: path)
        }
        guard case .string(let role)? = fields["role"] else {
            throw RequestError("'\(path).role' is required: one of \(roles.sorted().joined(separator: ", ")).", param: "\(path).role")
        }
        guard roles.contains(role) else {
            throw RequestError("'\(path).role' is '\(role)'; expected one of \(roles.sorted().joined(separator: ", ")).", param: "\(path).role")
        }
        switch fields["content"] {
        case nil, .null?:
            return Message(role: role, text: "")
        case .string(let text)?:
            return Message(role: role, text: text)
        case .array(let parts)?:
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                let partPath = "\(path).content[\(index)]"
                guard case .object(let partFields) = part, case .string(let type)? = partFields["type"] else {
                    throw RequestError(
                        "'\(partPath)' must be a content part such as {\"type\": \"text\", \"text\": \"…\"}.", param: partPath
                    )
                }
                guard partTypes.contains(type) else {
                    throw RequestError(
                        "'\(partPath).type' is '\(type)'; expected one of \(partTypes.sorted().joined(separator: ", ")).",
                        param: "\(partPath).type"
                    )
                }
                guard type == "text" else { continue }
                guard case .string(let text)? = partFields["text"] else {
                    throw RequestError("'\(partPath).text' must be a string.", param: "\(partPath).text")
                }
                texts.append(text)
            }
            return Message(role: role, text: texts.joined(separator: "\n"))
        case let other?:
            throw RequestError(
                "'\(path).content' must be a string or an array of content parts (got \(other.kind)).", param: "\(path).content"
            )
        }
    }

    private static func bool(_ value: JSONValue?, _ name: String) throws(RequestError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw RequestError("'\(name)' must be true or false (got \(other.kind)).", param: name)
        }
    }

    private static func integer(_ value: JSONValue?, _ name: String, in range: ClosedRange<Int>) throws(RequestError) -> Int? {
        switch value {
        case nil, .null?:
            return nil
        case .number(let number)? where number.rounded() == number && Double(range.lowerBound) <= number && number <= Double(range.upperBound):
            return Int(number)
        case let other?:
            throw RequestError(
                "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \(describe(other))).", param: name
            )
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): "\"\(text.prefix(40))\""
        case .null, .bool, .array, .object: value.kind
        }
    }
}
