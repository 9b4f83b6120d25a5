import Foundation
import SwitchyardCore

/// Puts a service's routing on a load balancer: checked before it is used, applied to every node at once, and
/// confirmed. Two implementations: the nginx Switchyard runs itself (`ManagedNginx`, the local topology) and a site's
/// own nginx on one or more nodes (`SiteNginx`, `managed: false`), where Switchyard owns one include file only.
public protocol LoadBalancerDriver: Sendable {
    var balancer: LoadBalancer { get }
    /// What `NginxConfig.prefix` is rendered with: the managed nginx's prefix (its logs, pid and temp files live there);
    /// the load balancer's directory for a site nginx, whose include file holds no path.
    var prefix: String { get }
    /// True when every node serves: the managed master runs; each site node's master runs.
    var isRunning: Bool { get async }
    /// The managed nginx's master, recorded in the state store; nil for a site nginx (the site runs it).
    var masterPID: Int32? { get async }
    /// The JSON access log that `source: loadBalancer` gates read; nil when there is none Switchyard can read.
    var accessLog: String? { get }
    /// Makes the load balancer route as `config` says: starts the managed nginx (or reloads it when it runs); installs
    /// the include on every node of a site nginx, which must already run.
    func start(_ config: NginxConfig) async throws
    /// Checks `config` on every node, installs it on all of them or on none, reloads, and waits until every node's old
    /// worker generation stopped accepting.
    @discardableResult
    func apply(_ config: NginxConfig) async throws -> LoadBalancerSwitch
    /// Stops the managed nginx; a site nginx is the site's and keeps running (the include stays, routing as last set).
    func stop(graceful: Bool, timeout: Duration) async
    /// Checks, before anything is started, that `start` can succeed where it does not depend on Switchyard: every node
    /// of a site nginx answers and its nginx runs. Throws an error naming the node that cannot.
    func preflight() async throws
}

extension LoadBalancerDriver {
    public func stop(graceful: Bool = false) async { await stop(graceful: graceful, timeout: .seconds(10)) }
}

/// What one switch took, over every node.
public struct LoadBalancerSwitch: Sendable {
    /// `nginx -t` on the new configuration (the slowest node).
    public var checked: Duration
    /// Reload sent → every old worker stopped accepting (the slowest node).
    public var complete: Duration
    /// Workers of the generation this reload replaced, still finishing their streams (the managed nginx's pids).
    public var oldWorkers: [Int32]
    /// Every worker still shutting down, earlier reloads' included, over every node: each generation lives until its
    /// longest stream ends (or `worker_shutdown_timeout`), so repeated reloads pile them up.
    public var draining: Int
}

/// The driver a load balancer's manifest asks for.
public enum LoadBalancerDrivers {
    public static func make(_ balancer: LoadBalancer, workingDirectory: String = FileManager.default.currentDirectoryPath) -> any LoadBalancerDriver {
        balancer.managed ? ManagedNginx(balancer: balancer, workingDirectory: workingDirectory) : SiteNginx(balancer: balancer)
    }
}
