import Foundation
import SwitchyardCore

/// Reads what nginx appended to its access log since the last read: whole lines only (a line being
/// written stays for the next read), from the end of the file minus `backlog` the first time, and from
/// the start again when the file was truncated or replaced by a rotation.
struct AccessLogTail: Sendable {
    let path: String
    /// The byte after the last whole line read; nil before the first read.
    var offset: UInt64?
    /// The file read last time (its inode): another one is a rotation, read from its start.
    var file: UInt64?
    /// Ignore lines older than this (seconds since 1970).
    var since: Double
    /// How far back from the end the first read may start.
    var backlog: UInt64 = 16 << 20

    init(path: String, since: Double) {
        self.path = path
        self.since = since
    }

    enum Failure: Error, CustomStringConvertible {
        case unreadable(String, String)
        case unparsable(String, line: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read the load balancer's access log \(path): \(reason)"
            case .unparsable(let path, let line, let reason): "a line of \(path) does not parse (\(reason)): \(line.prefix(160))"
            }
        }
    }

    /// The records appended since the last read, at or after `since`.
    mutating func read() throws(Failure) -> [AccessLogRecord] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file (is nginx running with Switchyard's configuration?)"
            throw .unreadable(path, reason)
        }
        defer { try? handle.close() }
        var status = stat()
        if fstat(handle.fileDescriptor, &status) == 0 {
            if let file, file != UInt64(status.st_ino) { offset = 0 }
            file = UInt64(status.st_ino)
        }
        let size: UInt64
        do { size = try handle.seekToEnd() } catch { throw .unreadable(path, "\(error)") }
        var start = offset ?? (size > backlog ? size - backlog : 0)
        if start > size { start = 0 }
        let first = offset == nil && start > 0
        let data: Data
        do {
            try handle.seek(toOffset: start)
            data = try handle.read(upToCount: Int(size - start)) ?? Data()
        } catch { throw .unreadable(path, "\(error)") }
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            offset = start
            return []
        }
        offset = start + UInt64(lastNewline - data.startIndex + 1)
        var text = Substring(String(decoding: data[data.startIndex...lastNewline], as: UTF8.self))
        if first, let newline = text.firstIndex(of: "\n") { text = text[text.index(after: newline)...] }  // a partial first line
        var records: [AccessLogRecord] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let time = AccessLogRecord.time(of: line), time < since { continue }
            do {
                records.append(try AccessLogRecord.parse(line))
            } catch {
                throw .unparsable(path, line: String(line), reason: error.reason)
            }
        }
        return records
    }
}
