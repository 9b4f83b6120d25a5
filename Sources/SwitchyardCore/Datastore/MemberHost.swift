/// Where a datastore member's processes and data directory are, so where the drill kills, cuts off, promotes and
/// rewinds it: this machine, or a host reached over SSH (the OpenSSH client, so `~/.ssh/config`, agents and jump hosts
/// apply as for the instance hosts).
public enum MemberHost: Sendable, Hashable, Encodable {
    /// The machine Switchyard runs on.
    case thisMachine
    /// `ssh [user@]address [-p port]`.
    case ssh(address: String, user: String?, port: Int?)

    /// What a member's `host` is when the manifest leaves it out: this machine when the member listens on a loopback
    /// address, else the host at its address, over SSH.
    public static func derived(from address: HostPort) -> MemberHost {
        HostPort.isLoopback(address.host) ? .thisMachine : .ssh(address: address.host, user: nil, port: nil)
    }

    /// `local`, or `[user@]address[:port]` (an IPv6 address in brackets when a port follows); nil when malformed.
    public static func parse(_ text: String) -> MemberHost? {
        if text == "local" { return .thisMachine }
        var rest = Substring(text), user: String?
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            guard let user, !user.isEmpty, !user.contains(where: \.isWhitespace) else { return nil }
        }
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            }
            rest = rest[rest.index(after: rest.startIndex)..<close]
        } else if rest.filter({ $0 == ":" }).count == 1, let colon = rest.firstIndex(of: ":") {
            guard let value = Int(rest[rest.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else { return nil }
        return .ssh(address: String(rest), user: user, port: port)
    }

    /// `this machine`, or the SSH destination as written.
    public var name: String {
        switch self {
        case .thisMachine: "this machine"
        case .ssh(let address, let user, let port):
            (user.map { "\($0)@" } ?? "") + (port != nil && address.contains(":") ? "[\(address)]" : address) + (port.map { ":\($0)" } ?? "")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .thisMachine: try c.encode("local")
        case .ssh: try c.encode(name)
        }
    }
}
