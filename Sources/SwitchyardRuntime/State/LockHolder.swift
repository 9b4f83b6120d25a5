import Foundation

/// Who holds a leased lock: `NAME@HOST#PID` (a drill run, a release's driver). A start on the same host whose
/// holder process is gone knows at once that the holder died, instead of waiting out the lease: a drill's fault
/// stays in place, and a release stays unattended, for as long as that wait.
struct LockHolder: Sendable, Hashable {
    var name: String
    var host: String
    var pid: Int32

    init(_ name: String, host: String = ProcessInfo.processInfo.hostName, pid: Int32 = ProcessInfo.processInfo.processIdentifier) {
        self.name = name
        self.host = host
        self.pid = pid
    }

    init?(parsing text: String) {
        guard let at = text.lastIndex(of: "@"), let hash = text.lastIndex(of: "#"), at < hash,
              let pid = Int32(text[text.index(after: hash)...]) else { return nil }
        self.init(String(text[..<at]), host: String(text[text.index(after: at)..<hash]), pid: pid)
    }

    var text: String { "\(name)@\(host)#\(pid)" }

    /// True unless the holder is known dead: on this host, and its process gone.
    var mayBeAlive: Bool {
        host != ProcessInfo.processInfo.hostName || ProcessTable.isAlive(pid)
    }

    /// Frees `lock` when its holder is known dead; true when it did.
    static func clearIfDead(_ lock: String, store: any StateStore) async -> Bool {
        guard let lease = try? await store.lock(name: lock), let holder = LockHolder(parsing: lease.holder), !holder.mayBeAlive else { return false }
        return (try? await store.releaseLock(name: lock, holder: lease.holder)) ?? false
    }
}
