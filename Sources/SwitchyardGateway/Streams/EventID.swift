/// An SSE event id that names its stream and its place in it: `<stream id>-<sequence>`.
public struct EventID: Sendable, Hashable, CustomStringConvertible {
    public var streamID: String
    public var sequence: Int

    public init(streamID: String, sequence: Int) {
        self.streamID = streamID
        self.sequence = sequence
    }

    public init?(parsing text: String) {
        guard let dash = text.lastIndex(of: "-"), dash != text.startIndex,
            let sequence = Int(text[text.index(after: dash)...]), sequence >= 0
        else { return nil }
        let stream = text[..<dash]
        guard stream.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        self.streamID = String(stream)
        self.sequence = sequence
    }

    public var description: String { "\(streamID)-\(sequence)" }

    /// A fresh stream id: 16 hex digits.
    public static func newStreamID() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
