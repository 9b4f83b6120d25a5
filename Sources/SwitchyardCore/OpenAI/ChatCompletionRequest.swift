/// The body of `POST /v1/chat/completions` in OpenAI's shape.
///
/// `yard_token_delay_ms` is Switchyard's extension: the delay between tokens this request wants,
/// so tests and load generators can make a stream last milliseconds or minutes.
public struct ChatCompletionRequest: Codable, Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var stream: Bool?
    public var temperature: Double?
    public var maxTokens: Int?
    public var yardTokenDelayMilliseconds: Int?

    public init(
        model: String,
        messages: [ChatMessage],
        stream: Bool? = nil,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        yardTokenDelayMilliseconds: Int? = nil
    ) {
        self.model = model
        self.messages = messages
        self.stream = stream
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.yardTokenDelayMilliseconds = yardTokenDelayMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature
        case maxTokens = "max_tokens"
        case yardTokenDelayMilliseconds = "yard_token_delay_ms"
    }
}
