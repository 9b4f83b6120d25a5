import Foundation

/// Cuts loopback ports off the network with iptables: every packet to them dropped, so a connect times out
/// and an open connection goes silent, as when a zone's network is gone (not refused, as when its
/// processes are). Each rule carries a comment naming the drill run, so that its restore removes exactly
/// its own rules, however many times it runs.
public enum PortFirewall {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case iptables([String], output: String)

        public var description: String {
            switch self {
            case .iptables(let argv, let output): "iptables \(argv.joined(separator: " ")) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        }
    }

    static func rule(port: Int, tag: String) -> [String] {
        ["INPUT", "-i", "lo", "-p", "tcp", "--dport", "\(port)", "-m", "comment", "--comment", tag, "-j", "DROP"]
    }

    /// Nil when rules can be added here; otherwise why not (not installed, no CAP_NET_ADMIN, no netfilter).
    public static func unavailability() async -> String? {
        guard Executables.resolve("iptables") != nil else { return "iptables is not installed (apt-get install iptables)" }
        do {
            let result = try await Command.run(["iptables", "-w", "-S", "INPUT"])
            return result.succeeded ? nil : "iptables cannot read the INPUT chain (needs root with CAP_NET_ADMIN): \(result.output.prefix(200))"
        } catch {
            return "\(error)"
        }
    }

    public static func block(ports: [Int], tag: String) async throws {
        for port in ports {
            let argv = ["-w", "-I"] + rule(port: port, tag: tag)
            let result = try await Command.run(["iptables"] + argv)
            guard result.succeeded else { throw Failure.iptables(argv, output: result.output) }
        }
    }

    /// Removes every copy of this tag's rules; returns how many there were.
    @discardableResult
    public static func unblock(ports: [Int], tag: String) async throws -> Int {
        var removed = 0
        for port in ports {
            while try await Command.run(["iptables", "-w", "-C"] + rule(port: port, tag: tag)).succeeded {
                let argv = ["-w", "-D"] + rule(port: port, tag: tag)
                let result = try await Command.run(["iptables"] + argv)
                guard result.succeeded else { throw Failure.iptables(argv, output: result.output) }
                removed += 1
            }
        }
        return removed
    }
}
