import Foundation
import SwitchyardCore

/// A site's own nginx (`managed: false`) on one or more nodes (a keepalived pair, say). Switchyard owns one include
/// file per node, never the site's `nginx.conf`: a switch writes it on every node and runs `nginx -t` there; a failed
/// test on any node puts every node back on its old file and names the node. Then each node reloads with its
/// command, and the switch is complete when every node's old worker generation stopped accepting.
public actor SiteNginx: LoadBalancerDriver {
    public let balancer: LoadBalancer
    public nonisolated let prefix: String
    let nodes: [SiteNginxNode]
    let shells: [String: any HostShell]

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// `nginx -t` (or writing the include) failed on `node`; every node is back on its old file.
        case rejected(node: String, output: String, reverted: [String])
        case reloadFailed(node: String, output: String)
        case notRunning(node: String, why: String)
        case render(NginxConfig.RenderError)

        public var description: String {
            switch self {
            case .rejected(let node, let output, let reverted):
                "nginx -t failed on node \(node); every node keeps its old include" + (reverted.isEmpty ? "" : " (put back on \(reverted.joined(separator: ", ")))") + ": \(output)"
            case .reloadFailed(let node, let output): "the reload of node \(node) failed: \(output)"
            case .notRunning(let node, let why): "the site's nginx on node \(node) is not running (\(why)); Switchyard does not start a site's nginx"
            case .render(let error): error.description
            }
        }
    }

    /// A node whose address is this machine's (loopback) runs its scripts here; any other is reached over SSH at its
    /// address, as `~/.ssh/config` (or `options.configFile`) says for it. `shells` overrides either, by node name.
    public init(balancer: LoadBalancer, shells: [String: any HostShell] = [:], options: SSHOptions = .fromEnvironment()) {
        self.balancer = balancer
        prefix = balancer.directory
        nodes = balancer.siteNodes
        var chosen = shells
        for node in nodes where chosen[node.name] == nil {
            chosen[node.name] = node.isLocal ? LocalHostShell() : SSHHostShell(destination: SSHDestination(address: node.address), options: options)
        }
        self.shells = chosen
    }

    public var isRunning: Bool {
        get async { await notRunning() == nil }
    }

    public var masterPID: Int32? { nil }

    /// The access log lives on the nodes, in the site's configuration: nothing here reads it.
    public nonisolated var accessLog: String? { nil }

    public func start(_ config: NginxConfig) async throws {
        try await preflight()
        try await apply(config)
    }

    public func preflight() async throws {
        if let (node, why) = await notRunning() { throw Failure.notRunning(node: node, why: why) }
    }

    @discardableResult
    public func apply(_ config: NginxConfig) async throws -> LoadBalancerSwitch {
        var texts: [String: String] = [:]
        for node in nodes {
            do { texts[node.name] = try config.renderInclude(preview: node.preview(balancer)) } catch { throw Failure.render(error) }
        }
        // 1. Every node: install and test. Any failure: every node that took the new file gets its old one back.
        let rendered = texts
        let installs = await each { node in await self.run(node, SiteNginxScript.installAndTest(node, text: rendered[node.name]!)) }
        var checked: Duration = .zero
        var previous: [String: Bool] = [:]
        var failed: (String, String)?
        for node in nodes {
            switch installs[node.name]! {
            case .success(let result) where result.succeeded:
                let words = result.output.split(whereSeparator: \.isWhitespace)
                checked = max(checked, .milliseconds(words.dropFirst().first.flatMap { Int($0) } ?? 0))
                previous[node.name] = words.last == "kept"
            case .success(let result): failed = failed ?? (node.name, result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure(let error): failed = failed ?? (node.name, "\(error)")
            }
        }
        if let (name, output) = failed {
            var reverted: [String] = []
            for node in nodes {
                guard let kept = previous[node.name] else { continue }
                if case .success(let result) = await run(node, SiteNginxScript.revert(node, previous: kept)), result.succeeded { reverted.append(node.name) }
            }
            throw Failure.rejected(node: name, output: output, reverted: reverted)
        }
        // 2. Every node: reload and confirm.
        let reloads = await each { node in await self.run(node, SiteNginxScript.reloadAndConfirm(node)) }
        var report = LoadBalancerSwitch(checked: checked, complete: .zero, oldWorkers: [], draining: 0)
        for node in nodes {
            switch reloads[node.name]! {
            case .success(let result) where result.succeeded:
                let words = result.output.split(whereSeparator: \.isWhitespace)
                report.complete = max(report.complete, .milliseconds(words.dropFirst().first.flatMap { Int($0) } ?? 0))
                report.draining += words.last.flatMap { Int($0) } ?? 0
            case .success(let result): throw Failure.reloadFailed(node: node.name, output: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure(let error): throw Failure.reloadFailed(node: node.name, output: "\(error)")
            }
        }
        return report
    }

    public func stop(graceful: Bool, timeout: Duration) async {}

    // MARK: parts

    /// The first node whose nginx does not run, and why.
    func notRunning() async -> (String, String)? {
        let answers = await each { node in await self.run(node, SiteNginxScript.running(node)) }
        for node in nodes {
            switch answers[node.name]! {
            case .success(let result) where result.succeeded: continue
            case .success(let result): return (node.name, result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure(let error): return (node.name, "\(error)")
            }
        }
        return nil
    }

    /// Runs one script on the node; a failure's output is what it printed on both streams.
    private func run(_ node: SiteNginxNode, _ script: String) async -> Result<Command.Result, any Error> {
        do {
            let result = try await shells[node.name]!.script(script, timeout: .seconds(60))
            let output = result.succeeded ? result.output : [result.output, result.errorOutput].filter { !$0.isEmpty }.joined(separator: "\n")
            return .success(Command.Result(status: result.status, output: output))
        } catch {
            return .failure(error)
        }
    }

    /// `work` on every node at once, by node name.
    private func each(_ work: @escaping @Sendable (SiteNginxNode) async -> Result<Command.Result, any Error>) async -> [String: Result<Command.Result, any Error>] {
        await withTaskGroup(of: (String, Result<Command.Result, any Error>).self) { group in
            for node in nodes { group.addTask { (node.name, await work(node)) } }
            var results: [String: Result<Command.Result, any Error>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }
}
