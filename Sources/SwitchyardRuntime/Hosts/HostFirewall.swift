import Foundation

/// Cuts TCP ports off the network on one host with iptables, through its `HostShell` (this machine or a host over
/// SSH): every packet to them dropped, so a connect times out and an open connection goes silent, as when a machine's
/// network is gone (not refused, as when its processes are). Each rule carries a comment naming the drill run, so that
/// `reconnect` removes exactly its own rules, however many times the cut ran.
public struct HostFirewall: Sendable {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case failed(host: String, what: String, output: String)

        public var description: String {
            switch self {
            case .failed(let host, let what, let output): "\(what) on \(host) failed: \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
        }
    }

    /// Which packets of a port are dropped.
    public struct Scope: Sendable, Hashable {
        /// Only packets arriving on the loopback interface (ports of this machine's own instances).
        public var loopbackOnly = false
        /// The port's outgoing packets too (`OUTPUT --sport`): a server that is reached by nobody and reaches nobody.
        public var replies = false

        public init(loopbackOnly: Bool = false, replies: Bool = false) {
            self.loopbackOnly = loopbackOnly
            self.replies = replies
        }
    }

    /// When the rules went in, as the host's clock read it around the inserts (nanoseconds since the script began).
    public struct Cut: Sendable {
        public var nanosecondsToFirstRule: Int64
        public var nanosecondsInAll: Int64
    }

    public let shell: any HostShell
    public let scope: Scope

    public init(shell: any HostShell, scope: Scope = Scope()) {
        self.shell = shell
        self.scope = scope
    }

    /// The rules' specifications after the chain, as `sh` words (`$port` and `$tag` are the script's variables).
    var rules: [String] {
        var out = ["INPUT\(scope.loopbackOnly ? " -i lo" : "") -p tcp --dport \"$port\" -m comment --comment \"$tag\" -j DROP"]
        if scope.replies { out.append("OUTPUT\(scope.loopbackOnly ? " -o lo" : "") -p tcp --sport \"$port\" -m comment --comment \"$tag\" -j DROP") }
        return out
    }

    /// Nil when rules can be added on the host; otherwise why not (not installed, no CAP_NET_ADMIN, no netfilter).
    public func unavailability() async -> String? {
        do {
            let result = try await shell.script("""
                command -v iptables >/dev/null || { echo "iptables is not installed (apt-get install iptables)"; exit 1; }
                iptables -w -S INPUT >/dev/null 2>&1 || { echo "iptables cannot read the INPUT chain (needs root with CAP_NET_ADMIN)"; exit 1; }
                """, timeout: .seconds(15))
            return result.succeeded ? nil : result.output.trimmingCharacters(in: .whitespacesAndNewlines) + " on \(shell.hostName)"
        } catch {
            return "\(error)"
        }
    }

    /// Drops every packet to `ports`. A rule that cannot be added takes the ones this call added with it.
    @discardableResult
    public func cut(ports: [Int], tag: String) async throws -> Cut {
        let inserts = rules.map { "iptables -w -I \($0) || fail" }.joined(separator: "\n    ")
        let deletes = rules.map { "iptables -w -D \($0) 2>/dev/null" }.joined(separator: "; ")
        let text = """
            tag=$1; shift; t0=$(date +%s%N); t1=""; done=""
            command -v iptables >/dev/null || { echo "iptables is not installed on this host (apt-get install iptables)" >&2; exit 127; }
            fail() { for port in $done $port; do \(deletes); done; exit 1; }
            for port in "$@"; do
                [ -n "$t1" ] || t1=$(date +%s%N)
                \(inserts)
                done="$done $port"
            done
            echo "$(( ${t1:-$t0} - t0 )) $(( $(date +%s%N) - t0 ))"
            """
        let output = try await run("cutting ports \(ports.map(String.init).joined(separator: ", ")) off", text, ports: ports, tag: tag)
        let words = output.split(separator: " ").compactMap { Int64($0) }
        return Cut(nanosecondsToFirstRule: words.first ?? 0, nanosecondsInAll: words.count > 1 ? words[1] : 0)
    }

    /// Removes every copy of this tag's rules on `ports` (however many times `cut` ran); how many there were.
    /// A host without iptables has none.
    @discardableResult
    public func reconnect(ports: [Int], tag: String) async throws -> Int {
        let loops = rules.map { rule in
            "while iptables -w -C \(rule) 2>/dev/null; do iptables -w -D \(rule) || exit 1; n=$((n + 1)); done"
        }.joined(separator: "\n    ")
        let text = """
            tag=$1; shift; n=0
            command -v iptables >/dev/null || { echo 0; exit 0; }
            for port in "$@"; do
                \(loops)
            done
            echo "$n"
            """
        return Int(try await run("reconnecting ports \(ports.map(String.init).joined(separator: ", "))", text, ports: ports, tag: tag)) ?? 0
    }

    /// Runs one of the scripts above with `$1` the tag and the ports after it; its output, trimmed.
    private func run(_ what: String, _ text: String, ports: [Int], tag: String) async throws -> String {
        let result = try await shell.script(text, [tag] + ports.map(String.init))
        guard result.succeeded else {
            throw Failure.failed(host: shell.hostName, what: what, output: [result.output, result.errorOutput].filter { !$0.isEmpty }.joined(separator: "\n"))
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
