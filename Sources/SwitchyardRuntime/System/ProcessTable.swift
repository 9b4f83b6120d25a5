import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What /proc says about processes: alive or not, their command line as they show it, their children.
public enum ProcessTable {
    /// True while the process exists and is not a zombie. Reaps it first when it is our own child.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return state(of: pid) != "Z"
    }

    /// The state letter of /proc/PID/stat (R, S, D, T, Z…), nil when the process is gone.
    public static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.first?.first
    }

    /// The parent pid, from /proc/PID/stat.
    public static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.count > 1 ? Int32(rest[1]) : nil
    }

    /// When the process started, in clock ticks since boot (field 22 of /proc/PID/stat): with the pid, an
    /// identity that a reused pid does not share.
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.count > 19 ? UInt64(rest[19]) : nil
    }

    /// The real and effective user ids of the process (the `Uid:` line of /proc/PID/status).
    public static func userIDs(of pid: Int32) -> (real: UInt32, effective: UInt32)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return nil }
        let ids = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().compactMap { UInt32($0) }
        return ids.count >= 2 ? (ids[0], ids[1]) : nil
    }

    /// The file the process runs (/proc/PID/exe, links resolved); nil when it is gone or not ours to read.
    public static func executable(of pid: Int32) -> String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { return nil }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The command line as the process shows it (nginx rewrites it: `nginx: worker process`).
    public static func commandLine(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// Every process whose parent is `pid`.
    public static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { parent(of: $0) == pid }
    }
}
