import Foundation
import SwitchyardRuntime

/// Who a daemon is in the election: the address clients reach it at, inside the lease holder's text
/// (`yardd<https://10.0.0.5:7443>@HOST#PID/…`), so that a standby can name the leader and a client can go to it.
public struct LeaderIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The lease holder's text, as stored in the lock.
    public var holder: String
    /// The leader's API address; nil when the holder was not written by a daemon.
    public var url: String?

    /// This process, reachable at `url`.
    public static func thisDaemon(url: String) -> LeaderIdentity {
        LeaderIdentity(holder: LeaseHolders.thisProcess("yardd<\(url)>"), url: url)
    }

    /// Reads a stored holder back.
    public init(holder: String) {
        self.holder = holder
        if let name = LeaseHolders.name(of: holder), name.hasPrefix("yardd<"), name.hasSuffix(">") {
            url = String(name.dropFirst("yardd<".count).dropLast())
        } else {
            url = nil
        }
    }

    init(holder: String, url: String) {
        self.holder = holder
        self.url = url
    }

    public var description: String {
        guard let url else { return holder }
        guard let process = LeaseHolders.process(of: holder) else { return "yardd at \(url)" }
        return "yardd at \(url) (pid \(process.pid) on \(process.host))"
    }
}
