import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the daemon may listen. Loopback is always allowed. Any other address carries bearer tokens over a
/// network, so it needs TLS (`--tls-cert`, `--tls-key`), or `--insecure-public` for a TLS-terminating proxy
/// on the same host, which is then warned about at every start.
public enum BindPolicy {
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public var host: String
        public var description: String {
            "refusing to listen on \(host) without TLS: bearer tokens would cross the network in clear text. "
                + "Give --tls-cert FILE --tls-key FILE (PEM), listen on 127.0.0.1, or pass --insecure-public "
                + "when a TLS-terminating proxy in front is the only way in"
        }
    }

    /// `localhost`, an IPv4 address in 127.0.0.0/8 written as four decimal octets, or `::1`. A name that only starts
    /// with `127` (`127.example.com`, `1270.0.0.1`) is not loopback.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
    }

    /// Nil when the bind is fine as it is; the warning to print when it is allowed by `--insecure-public`.
    public static func check(_ configuration: DaemonConfiguration) throws(Refused) -> String? {
        guard !isLoopback(configuration.host), configuration.tls == nil else { return nil }
        guard configuration.insecurePublic else { throw Refused(host: configuration.host) }
        return "WARNING: yardd serves plain HTTP on \(configuration.host):\(configuration.port) (--insecure-public). "
            + "Bearer tokens are readable by anyone on the path; only a TLS-terminating proxy should reach this port."
    }
}
