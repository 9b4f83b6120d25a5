import Foundation
import SwitchyardCore

/// Reads a CSV history file (see `CSVHistoryParser` for the rules).
public enum CSVHistoryReader {
    public static func read(path: String) throws(HistoryError) -> (series: QPSSeries, summary: CSVHistoryParser.Summary) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .backend(source: path, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        return try CSVHistoryParser.parse([UInt8](data), source: path)
    }
}
