import Foundation

/// What a process holds in memory, from `/proc/<pid>/status` (Linux).
public enum ProcessMemory {
    /// Resident set size in bytes (`VmRSS`); nil when the process or the field is not there.
    public static func residentBytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
