import Foundation
import SwitchyardCore

/// The nodes of a keepalived pair as Switchyard reaches them: which node holds the virtual address (each node asked over
/// its shell with `ip -o addr show`, never inferred from keepalived's state), waiting for the address to show up on a
/// node, and keepalived on a node started again when it is gone. A node on a loopback address is this machine; any
/// other is reached over SSH at its address, as `SiteNginx` reaches it.
public struct KeepalivedPair: Sendable {
    public let balancer: LoadBalancer
    public let address: String
    let shells: [String: any HostShell]

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case notAPair(balancer: String)
        case unanswered(node: String, why: String)
        case noHolder(address: String, balancer: String)
        case splitBrain(address: String, nodes: [String])
        case keepalivedNotStarted(node: String, output: String)

        public var description: String {
            switch self {
            case .notAPair(let balancer): "load balancer \(balancer) is not a keepalived pair (it needs nodes and a virtualAddress)"
            case .unanswered(let node, let why): "node \(node) did not say which addresses it carries: \(why)"
            case .noHolder(let address, let balancer): "no node of load balancer \(balancer) carries its virtualAddress \(address); is keepalived running on the nodes?"
            case .splitBrain(let address, let nodes): "the virtual address \(address) is on \(nodes.count) nodes at once (\(nodes.joined(separator: ", "))): keepalived's nodes do not hear each other"
            case .keepalivedNotStarted(let node, let output): "keepalived on node \(node) could not be started again: \(output)"
            }
        }
    }

    /// `shells` overrides the shell of a node, by node name.
    public init(balancer: LoadBalancer, shells: [String: any HostShell] = [:], options: SSHOptions = .fromEnvironment()) throws {
        guard balancer.isKeepalivedPair, let address = balancer.virtualAddress else { throw Failure.notAPair(balancer: balancer.name) }
        self.balancer = balancer
        self.address = address
        var chosen = shells
        for node in balancer.nodes where chosen[node.name] == nil {
            chosen[node.name] = HostPort.isLoopback(node.address) ? LocalHostShell() : SSHHostShell(destination: SSHDestination(address: node.address), options: options)
        }
        self.shells = chosen
    }

    public func shell(_ node: String) -> any HostShell { shells[node] ?? LocalHostShell() }

    public func node(named name: String) -> LoadBalancer.Node? { balancer.nodes.first { $0.name == name } }

    /// Whether `node` carries the virtual address now.
    public func carries(_ node: String, timeout: Duration = .seconds(10)) async throws -> Bool {
        let result: ShellResult
        do { result = try await shell(node).run(["ip", "-o", "addr", "show"], timeout: timeout) } catch {
            throw Failure.unanswered(node: node, why: "\(error)")
        }
        guard result.succeeded else { throw Failure.unanswered(node: node, why: "ip -o addr show exited \(result.status): \(result.errorOutput)") }
        return KeepalivedScript.carries(address, in: result.output)
    }

    /// Every node that carries the virtual address, every node asked at once.
    public func holders() async throws -> [String] {
        try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for node in balancer.nodes { group.addTask { (node.name, try await self.carries(node.name)) } }
            var holding: [String] = []
            for try await (name, carries) in group where carries { holding.append(name) }
            return balancer.nodes.map(\.name).filter(holding.contains)
        }
    }

    /// The one node that holds the virtual address; none or several is an error that says so.
    public func holder() async throws -> LoadBalancer.Node {
        let holding = try await holders()
        guard !holding.isEmpty else { throw Failure.noHolder(address: address, balancer: balancer.name) }
        guard holding.count == 1, let node = node(named: holding[0]) else { throw Failure.splitBrain(address: address, nodes: holding) }
        return node
    }

    /// Asks `nodes` every `interval` until one carries the virtual address; returns that node and when it was first seen,
    /// or nil at `deadline` (or when cancelled). A node that does not answer is asked again at the next round.
    public func firstCarrying(_ nodes: [String], every interval: Duration, until deadline: ContinuousClock.Instant) async -> (node: String, at: ContinuousClock.Instant)? {
        let clock = ContinuousClock()
        while clock.now < deadline, !Task.isCancelled {
            let round = clock.now
            for node in nodes where (try? await carries(node, timeout: .seconds(2))) == true { return (node, clock.now) }
            try? await Task.sleep(until: round + interval, clock: clock)
        }
        return nil
    }

    /// Starts keepalived on `node` when it does not run there, removing stale pid files first; says what it did.
    public func ensureKeepalived(on node: LoadBalancer.Node, timeout: Duration = .seconds(30)) async throws -> String {
        let process = node.keepalivedProcess
        let result: ShellResult
        do {
            result = try await shell(node.name).script(KeepalivedScript.ensureRunning, [process.pidFile, process.vrrpPidFile] + process.start, timeout: timeout)
        } catch {
            throw Failure.keepalivedNotStarted(node: node.name, output: "\(error)")
        }
        let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.succeeded else { throw Failure.keepalivedNotStarted(node: node.name, output: [output, result.errorOutput].filter { !$0.isEmpty }.joined(separator: "\n")) }
        let words = output.split(separator: " ").map(String.init)
        switch words.first {
        case "running": return "keepalived runs on \(node.name) (pid \(words.dropFirst().first ?? "?"))"
        default:
            let stale = words.dropFirst(2)
            return "keepalived started again on \(node.name) (pid \(words.dropFirst().first ?? "?"))"
                + (stale.isEmpty ? "" : "; stale pid file\(stale.count == 1 ? "" : "s") removed: \(stale.joined(separator: ", "))")
        }
    }
}
