/// A fraction as manifests write it: `0.05` or `5%`. Always within 0...1.
public struct Ratio: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var value: Double

    public init(_ value: Double) { self.value = value }
    public static func percent(_ value: Double) -> Ratio { Ratio(value / 100) }
    public static func < (a: Ratio, b: Ratio) -> Bool { a.value < b.value }

    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)), percent.isFinite else { return nil }
            value = percent / 100
        } else {
            guard let plain = Double(trimmed), plain.isFinite else { return nil }
            value = plain
        }
    }

    /// Written as a percentage, the way people read it: `5%`, `99.9%`.
    public var description: String {
        let percent = value * 100
        let rounded = (percent * 1_000_000).rounded() / 1_000_000
        return rounded == rounded.rounded() ? "\(Int(rounded))%" : "\(rounded)%"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) { value = number; return }
        let text = try container.decode(String.self)
        guard let parsed = Ratio(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a ratio such as 0.05 or 5%, got \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
