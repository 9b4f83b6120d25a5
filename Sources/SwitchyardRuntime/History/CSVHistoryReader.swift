import Foundation
import SwitchyardCore

/// Reads a CSV history file (see `CSVHistoryParser` for the rules), 1 MiB at a time: memory
/// follows the points kept, not the file's size.
public enum CSVHistoryReader {
    public static func read(path: String, maximumPoints: Int = CSVHistoryParser.defaultMaximumPoints) throws(HistoryError) -> (series: QPSSeries, summary: CSVHistoryParser.Summary) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw .backend(source: path, message: "cannot read the file: \(reason)")
        }
        defer { try? handle.close() }
        var parser = CSVHistoryParser(source: path, maximumPoints: maximumPoints)
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw .backend(source: path, message: "cannot read the file: \((error as NSError).localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            try parser.consume([UInt8](chunk))
        }
        return try parser.finish()
    }
}
