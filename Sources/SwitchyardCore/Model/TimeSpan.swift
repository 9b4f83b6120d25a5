/// A duration as manifests write it: `150ms`, `30s`, `10m`, `1h`, `2d`, or a sum such as `1h30m`.
/// Millisecond precision, which is all that a manifest needs.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func ms(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value) }
    public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 1000) }
    public static func minutes(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 60_000) }
    public static func hours(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 3_600_000) }

    public var duration: Duration { .milliseconds(milliseconds) }
    public var seconds: Double { Double(milliseconds) / 1000 }
    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.milliseconds < b.milliseconds }

    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses `150ms`, `30s`, `1h30m`, `1.5s`. Returns nil for anything else, bare numbers included.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { $0.isLetter }
            guard let unit = Self.units.first(where: { $0.suffix == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * Double(unit.milliseconds)
        }
        guard total.isFinite, total < 1e15 else { return nil }
        self.milliseconds = Int64(total.rounded())
    }

    /// The shortest exact writing: `150ms`, `30s`, `10m`, `1h30m`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        if milliseconds % 1000 != 0 { return milliseconds < 1000 ? "\(milliseconds)ms" : "\(TimeSpan(milliseconds: milliseconds - milliseconds % 1000))\(milliseconds % 1000)ms" }
        var rest = milliseconds
        var text = ""
        for (suffix, size) in Self.units.reversed() where size >= 1000 {
            if rest >= size { text += "\(rest / size)\(suffix)"; rest %= size }
        }
        return text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TimeSpan(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a duration such as 150ms, 30s, 10m or 1h, got \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
