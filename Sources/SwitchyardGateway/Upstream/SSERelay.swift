/// Passes an upstream's SSE bytes on whole lines at a time, and knows at every moment whether the
/// client is inside an event (a field line sent since the last blank line). So when the upstream
/// fails mid-stream, the final `error` event can be appended cleanly: the partial line is dropped,
/// an open event is ended first, and the error event stands on its own. Pure; no I/O.
struct SSERelay: Sendable {
    private var pending: [UInt8] = []
    private var lineIsEmpty = true
    private var lineIsComment = false
    private var lastWasCR = false
    /// A field line went out since the last blank line.
    private(set) var insideEvent = false

    /// Takes a chunk from the upstream; returns the bytes that may go to the client now (whole lines).
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        pending.append(contentsOf: bytes)
        guard let lastEnd = pending.lastIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else { return [] }
        let out = Array(pending[...lastEnd])
        pending.removeFirst(lastEnd + 1)
        track(out)
        return out
    }

    /// The upstream ended cleanly: whatever is left goes as it is.
    mutating func finish() -> [UInt8] {
        defer { pending.removeAll() }
        return pending
    }

    /// The upstream failed: the bytes that end what the client holds, then `frame`.
    mutating func failure(frame: String) -> [UInt8] {
        pending.removeAll()
        var out: [UInt8] = insideEvent ? [UInt8(ascii: "\n")] : []
        insideEvent = false
        out += frame.utf8
        return out
    }

    private mutating func track(_ bytes: [UInt8]) {
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                lastWasCR = byte == UInt8(ascii: "\r")
                if lineIsEmpty {
                    insideEvent = false
                } else if !lineIsComment {
                    insideEvent = true
                }
                lineIsEmpty = true
                lineIsComment = false
            default:
                if lineIsEmpty { lineIsComment = byte == UInt8(ascii: ":") }
                lineIsEmpty = false
            }
        }
    }
}
