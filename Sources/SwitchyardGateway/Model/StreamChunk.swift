import SwitchyardCore

/// A chunk as the gateway writes it: Core's chunk fields plus `usage`, which is written as null on
/// every chunk of a stream that asked for `include_usage` and carries the counts on its last chunk,
/// as OpenAI does; a stream that did not ask has no `usage` key at all.
struct StreamChunk: Encodable {
    var id: String
    var created: Int
    var model: String
    var systemFingerprint: String?
    var choices: [ChatCompletionChunk.Choice]
    var usage: ChatCompletion.Usage?
    var includeUsage: Bool

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
        case systemFingerprint = "system_fingerprint"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("chat.completion.chunk", forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(systemFingerprint, forKey: .systemFingerprint)
        try container.encode(choices, forKey: .choices)
        if includeUsage { try container.encode(usage, forKey: .usage) }
    }
}
