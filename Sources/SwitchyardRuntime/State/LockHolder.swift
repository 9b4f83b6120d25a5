import Foundation

/// Who holds a leased lock: `NAME@HOST#PID/START/BOOT/PIDNS` (a drill run, a release's driver), with the process's
/// start time (clock ticks after boot), the kernel's boot id and the PID namespace it runs in. A start on the same host
/// can then tell for sure that the holder died, and free its lock at once instead of waiting out the lease: a drill's
/// fault stays in place, and a release stays unattended, for as long as that wait.
///
/// A holder is judged dead only when every part matches this machine and this PID namespace and its PID is gone or
/// now belongs to a process that started at another time. Anything else (another host, another boot id, another PID
/// namespace such as a container with the same hostname, or an identity written by an older Switchyard) may be alive:
/// its lock is left to expire.
struct LockHolder: Sendable, Hashable {
    var name: String
    var host: String
    var pid: Int32
    /// Clock ticks after boot at which the process started (field 22 of /proc/PID/stat).
    var startTicks: UInt64?
    var bootID: String?
    var pidNamespace: String?

    /// This process, holding as `name`.
    init(_ name: String) {
        let pid = ProcessInfo.processInfo.processIdentifier
        self.init(name, host: ProcessInfo.processInfo.hostName, pid: pid, startTicks: ProcessTable.startTime(of: pid),
                  bootID: ProcessIdentity.bootID, pidNamespace: ProcessIdentity.pidNamespace)
    }

    init(_ name: String, host: String, pid: Int32, startTicks: UInt64?, bootID: String?, pidNamespace: String?) {
        self.name = name
        self.host = host
        self.pid = pid
        self.startTicks = startTicks
        self.bootID = bootID
        self.pidNamespace = pidNamespace
    }

    init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@"), let hash = text.lastIndex(of: "#"), at < hash else { return nil }
        let parts = text[text.index(after: hash)...].split(separator: "/", omittingEmptySubsequences: false)
        guard let first = parts.first, let pid = Int32(first) else { return nil }
        self.init(String(text[..<at]), host: String(text[text.index(after: at)..<hash]), pid: pid,
                  startTicks: parts.count > 1 ? UInt64(parts[1]) : nil,
                  bootID: parts.count > 2 && !parts[2].isEmpty ? String(parts[2]) : nil,
                  pidNamespace: parts.count > 3 && !parts[3].isEmpty ? String(parts[3]) : nil)
    }

    var text: String {
        "\(name)@\(host)#\(pid)/\(startTicks.map(String.init) ?? "")/\(bootID ?? "")/\(pidNamespace ?? "")"
    }

    /// False only when the holder is provably gone: see the type's rules.
    var mayBeAlive: Bool {
        guard host == ProcessInfo.processInfo.hostName, let bootID, bootID == ProcessIdentity.bootID,
              let pidNamespace, pidNamespace == ProcessIdentity.pidNamespace, let startTicks else { return true }
        guard ProcessTable.isAlive(pid) else { return false }
        // The PID is taken: by the holder, or by a process that came after it.
        return ProcessTable.startTime(of: pid) == startTicks
    }

    /// Frees `lock` when its holder is known dead; true when it did.
    static func clearIfDead(_ lock: String, store: any StateStore) async -> Bool {
        guard let lease = try? await store.lock(name: lock), let holder = LockHolder(parsing: lease.holder), !holder.mayBeAlive else { return false }
        return (try? await store.releaseLock(name: lock, holder: lease.holder)) ?? false
    }
}

/// What tells one process from any other that had or will have its PID: from /proc.
enum ProcessIdentity {
    /// The kernel's boot id: changes at every boot.
    static let bootID: String? = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)

    /// The PID namespace this process runs in (`pid:[4026531836]` read as `4026531836`): PIDs mean something only inside it.
    static let pidNamespace: String? = {
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid"),
              let open = link.firstIndex(of: "["), let close = link.lastIndex(of: "]"), open < close else { return nil }
        return String(link[link.index(after: open)..<close])
    }()
}
