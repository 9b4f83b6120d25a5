/// A wall-clock time in seconds (see `CivilTime`) that encodes as ISO 8601 with its offset
/// (`2026-11-11T09:00:00+00:00`), so every time in a forecast's JSON reads the same way. It decodes
/// from that, from any timestamp `TimestampParser` reads, or from a number of seconds.
@propertyWrapper
public struct ISO8601Time: Sendable, Hashable, Codable {
    public var wrappedValue: Int64

    public init(wrappedValue: Int64) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int64.self) { wrappedValue = seconds; return }
        let text = try container.decode(String.self)
        guard let seconds = TimestampParser.parse(Substring(text)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 time, got \(text)")
        }
        wrappedValue = seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(CivilTime.iso8601(seconds: wrappedValue))
    }
}
