import Logging
import Synchronization

/// Log lines kept in memory, so a test can assert what the gateway logged.
final class CapturedLog: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])
    var all: [Line] { lines.withLock { $0 } }
    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    /// A logger that writes here (warnings and above).
    var logger: Logger {
        Logger(label: "yard-gateway-test") { _ in Handler(log: self) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var fields: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
            log.append(Line(level: event.level, message: "\(event.message)", metadata: fields))
        }
    }
}
