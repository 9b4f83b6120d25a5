import Foundation
import SwitchyardCore

/// The restore of a keepalived pair's node that a drill cut off: its `reconnectCommand` runs on this machine, the node
/// must answer over its shell again, then keepalived must run there (started again, stale pid files removed, when the
/// node lost it). Safe to run twice: reconnecting a connected node and finding keepalived running change nothing.
struct NodeReconnect {
    var balancer: LoadBalancer
    var node: String
    var timeout: Duration

    enum Failure: Error, Sendable, CustomStringConvertible {
        case unknownNode(String, balancer: String)
        case noReconnectCommand(String, balancer: String)
        case reconnectFailed(node: String, command: [String], status: Int32, output: String)
        case stillUnreachable(node: String, after: Duration, why: String)

        var description: String {
            switch self {
            case .unknownNode(let node, let balancer): "load balancer \(balancer) has no node \(node) any more; reconnect it by hand"
            case .noReconnectCommand(let node, let balancer): "node \(node) of load balancer \(balancer) has no reconnectCommand any more; reconnect it by hand"
            case .reconnectFailed(let node, let command, let status, let output):
                "node \(node): reconnectCommand \(command.joined(separator: " ")) exited \(status)\(output.isEmpty ? "" : ": \(output.suffix(400))")"
            case .stillUnreachable(let node, let after, let why): "node \(node) still does not answer \(after) after its reconnectCommand: \(why)"
            }
        }
    }

    func perform() async throws -> String {
        let pair = try KeepalivedPair(balancer: balancer)
        guard let node = pair.node(named: self.node) else { throw Failure.unknownNode(self.node, balancer: balancer.name) }
        guard let command = node.reconnectCommand else { throw Failure.noReconnectCommand(node.name, balancer: balancer.name) }
        let result = try await Command.run(command)
        guard result.succeeded else { throw Failure.reconnectFailed(node: node.name, command: command, status: result.status, output: result.output) }
        let answered = try await waitForAnswer(pair.shell(node.name), node: node.name)
        let keepalived = try await pair.ensureKeepalived(on: node, timeout: timeout)
        return "node \(node.name) reconnected (\(command.joined(separator: " "))), answering after \(answered.shown); \(keepalived)"
    }

    /// Runs `true` on the node until it answers.
    private func waitForAnswer(_ shell: any HostShell, node: String) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        var last = "no answer yet"
        while clock.now - start < timeout {
            do {
                if try await shell.run(["true"], timeout: .seconds(5)).succeeded { return clock.now - start }
                last = "true did not succeed"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw Failure.stillUnreachable(node: node, after: timeout, why: last)
    }
}
